package dev.ckpt.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fidelity against CPython: every pickle of the corpus (made by CPython's C pickler at
 * protocols 0-5) is read and re-written by us; CPython then loads both and compares the graphs,
 * sharing included (compare.py). Unmodified protocol-2 trees must come back byte-for-byte.
 */
class CorpusFidelityTest {
    static final Path CORPUS = Path.of("src/test/resources/pickle-corpus");

    record Entry(String file, String name, int protocol) {
        Path path() {
            return CORPUS.resolve(file);
        }
    }

    static List<Entry> corpus;

    @BeforeAll
    static void loadManifest() throws IOException {
        corpus = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS.resolve("MANIFEST.tsv"))) {
            String[] f = line.split("\t", -1);
            corpus.add(new Entry(f[0], f[1], Integer.parseInt(f[2])));
        }
        assertTrue(corpus.size() > 300, "corpus manifest lists " + corpus.size() + " files");
    }

    @Test
    void unmodifiedProtocol2TreesAreRewrittenByteForByte() throws IOException {
        List<String> different = new ArrayList<>();
        int checked = 0;
        for (Entry entry : corpus) {
            if (entry.protocol() != 2) {
                continue;
            }
            byte[] original = Files.readAllBytes(entry.path());
            byte[] rewritten = new PickleWriter(2).write(new PickleReader().read(original));
            checked++;
            if (!Arrays.equals(original, rewritten)) {
                different.add(entry.file() + " (first difference at byte " + Arrays.mismatch(original, rewritten) + ")");
            }
        }
        assertTrue(checked > 50, "protocol-2 files checked: " + checked);
        assertEquals(List.of(), different, "protocol-2 pickles not rewritten byte-for-byte");
    }

    @Test
    void byteIdentityAtProtocols3To5IsReported() throws IOException {
        // Not all of 3-5 are byte-identical (see the README); this keeps the known exceptions from growing.
        List<String> different = new ArrayList<>();
        for (Entry entry : corpus) {
            if (entry.protocol() < 3) {
                continue;
            }
            byte[] original = Files.readAllBytes(entry.path());
            byte[] rewritten = new PickleWriter(entry.protocol()).write(new PickleReader().read(original));
            if (!Arrays.equals(original, rewritten)) {
                different.add(entry.file());
            }
        }
        assertEquals(List.of(), different, "protocol 3-5 pickles not rewritten byte-for-byte");
    }

    @Test
    void everyRewriteLoadsInCPythonAsAnEqualGraphWithTheSameSharing(@TempDir Path out) throws IOException {
        StringBuilder pairs = new StringBuilder();
        for (Entry entry : corpus) {
            Object tree = new PickleReader().read(Files.readAllBytes(entry.path()));
            for (int protocol : protocolsOf(entry.name())) {
                Path rewritten = out.resolve(entry.file() + ".as-p" + protocol);
                Files.write(rewritten, new PickleWriter(protocol).write(tree));
                pairs.append(entry.path().toAbsolutePath()).append('\t').append(rewritten).append('\n');
            }
        }
        String report = PythonOracle.run(PythonOracle.corpusScripts().resolve("compare.py"), List.of(), pairs.toString());
        long ok = report.lines().filter(l -> l.startsWith("OK\t")).count();
        assertEquals(pairs.toString().lines().count(), ok, report);
    }

    /** The protocols CPython could write this case at (e.g. protocol 0 holds only string persistent ids). */
    private static List<Integer> protocolsOf(String name) {
        return corpus.stream().filter(e -> e.name().equals(name)).map(Entry::protocol).toList();
    }

    @Test
    void committedCorpusIsWhatTheGeneratorMakesToday(@TempDir Path out) throws IOException {
        PythonOracle.run(PythonOracle.corpusScripts().resolve("generate.py"), List.of(out.toString()), "");
        List<String> drift = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path generated : (Iterable<Path>) files::iterator) {
                Path committed = CORPUS.resolve(generated.getFileName().toString());
                if (!Files.exists(committed) || !Arrays.equals(Files.readAllBytes(committed), Files.readAllBytes(generated))) {
                    drift.add(generated.getFileName().toString());
                }
            }
        }
        try (Stream<Path> files = Files.list(CORPUS)) {
            long committed = files.count();
            try (Stream<Path> gen = Files.list(out)) {
                assertEquals(committed, gen.count(), "the committed corpus has files the generator no longer makes");
            }
        }
        assertEquals(List.of(), drift, "corpus files that differ from a fresh generator run; regenerate the corpus");
    }
}
