package dev.ckpt.it;

import dev.ckpt.pickle.PythonOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The fidelity corpus: the third-party files of {@code src/test/resources/torch-corpus/third-party}
 * (each one's source in its SOURCES.tsv) and the files the running torch saves with each of its
 * save options, dtypes, tensor kinds and root shapes (fidelity.make_corpus), made once per test run.
 */
final class FidelityCorpus {
    static final Path THIRD_PARTY = Path.of("src/test/resources/torch-corpus/third-party");

    private static Path generated;
    private static Map<String, String> loadsIn;

    private FidelityCorpus() {
    }

    /** Every file of the corpus, third-party ones first. */
    static synchronized List<Path> files() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> third = Files.list(THIRD_PARTY)) {
            third.filter(f -> !f.getFileName().toString().equals("SOURCES.tsv")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.addAll(generatedFiles());
        return files;
    }

    /** The files this torch saved, by name ({@code t1_*} under torch 1.13, {@code t2_*} under 2.13). */
    static synchronized List<Path> generatedFiles() {
        if (generated == null) {
            try {
                generated = Files.createTempDirectory("fidelity-" + PythonOracle.torchVersion());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(FidelityCorpus::removeGenerated));
            loadsIn = new HashMap<>();
            for (String line : TorchOracle.call("make_corpus", generated.toString()).split("\n")) {
                String[] fields = line.split("\t", -1);
                loadsIn.put(fields[0], fields[1]);
            }
        }
        return loadsIn.keySet().stream().sorted().map(generated::resolve).toList();
    }

    /** A file this torch saved, by its name without the {@code t1_}/{@code t2_} tag. */
    static Path generated(String name) {
        return generatedFiles().stream().filter(f -> f.getFileName().toString().substring(3).equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("torch " + PythonOracle.torchVersion() + " made no " + name));
    }

    /**
     * True for a file this torch's own writer wrote (a no-op rewrite must give its bytes back); not
     * the legacy-format one (written back as a zip) nor the big-endian one (a zip rewritten by Python).
     */
    static boolean writtenByThisTorch(Path file) {
        String name = file.getFileName().toString();
        return generatedFiles().contains(file) && !name.contains("legacy_format") && !name.contains("big_endian");
    }

    private static void removeGenerated() {
        try (Stream<Path> files = Files.walk(generated)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory of a finished run
        }
    }
}
