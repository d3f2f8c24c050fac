package dev.ckpt.pickle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python scripts of the pickle fidelity corpus ({@code src/test/python/pickle_corpus}).
 *
 * <p>The interpreter comes from the system property {@code ckpt.python} (default
 * {@code /usr/bin/python3}); it needs numpy and omegaconf for the corpus files that say so in
 * MANIFEST.tsv. Tests that need Lightning run the torch 2.13 venv's interpreter
 * ({@link #lightningPython()}) under either oracle.
 */
public final class PythonOracle {

    private static final long TIMEOUT_MINUTES = 5;
    private static final List<Path> SCRIPT_DIRS = List.of(
            Path.of("src/test/python/pickle_corpus"),         // cwd = core/ (Maven)
            Path.of("core/src/test/python/pickle_corpus"));   // cwd = repository root (IDE)

    private PythonOracle() {
    }

    /**
     * The interpreter to run; fails (never skips) when it is missing, naming what would install it:
     * Debian's python3-torch for the torch 1.13 oracle, {@code .ci/torch2-venv} for torch 2.13.
     */
    public static String python() {
        String python = System.getProperty("ckpt.python", "/usr/bin/python3");
        if (!Files.isExecutable(Path.of(python))) {
            throw new IllegalStateException("the Python oracle " + python + " (torch " + torchVersion() + ") is missing: "
                    + (torchVersion().startsWith("2") ? "run .ci/torch2-venv to build the torch 2.13 venv"
                            : "apt-get install -y python3-torch python3-omegaconf python3-numpy"));
        }
        return python;
    }

    /**
     * The torch 2.13 venv's interpreter (system property {@code ckpt.python2}), the one with
     * Lightning 2.6.6, whichever torch this run's oracle is; fails (never skips) when it is missing.
     */
    public static String lightningPython() {
        String python = System.getProperty("ckpt.python2", "");
        if (!Files.isRegularFile(Path.of(python)) || !Files.isExecutable(Path.of(python))) {
            throw new IllegalStateException("the Lightning interpreter '" + python + "' (ckpt.python2) is missing:"
                    + " run .ci/torch2-venv to build the torch 2.13 venv with Lightning 2.6.6");
        }
        return python;
    }

    /** The torch version this run's oracle must have ({@code ckpt.torch}: 1.13 or 2.13). */
    public static String torchVersion() {
        return System.getProperty("ckpt.torch", "1.13");
    }

    /** True when the oracle is torch 2.x (whose loader has mmap, meta and FakeTensor modes). */
    public static boolean torch2() {
        return torchVersion().startsWith("2");
    }

    /** The directory holding generate.py, compare.py and corpus_classes.py. */
    public static Path corpusScripts() {
        return SCRIPT_DIRS.stream()
                .filter(dir -> Files.isRegularFile(dir.resolve("compare.py")))
                .findFirst()
                .map(Path::toAbsolutePath)
                .orElseThrow(() -> new IllegalStateException("pickle_corpus scripts not found under "
                        + Path.of("").toAbsolutePath() + " (tried " + SCRIPT_DIRS + ")"));
    }

    /**
     * Runs {@code python script args...} with {@code stdin} as its standard input and returns its
     * standard output.
     *
     * @throws AssertionError if it exits non-zero or runs longer than the timeout
     */
    public static String run(Path script, List<String> args, String stdin) {
        return run(python(), script, args, stdin);
    }

    /** {@link #run(Path, List, String)} under the interpreter {@code python}. */
    public static String run(String python, Path script, List<String> args, String stdin) {
        List<String> command = new ArrayList<>();
        command.add(python);
        command.add(script.toString());
        command.addAll(args);
        Path dir = null;
        try {
            // Files rather than pipes: no pump threads, and a child that stops reading
            // stdin cannot block us before the timeout starts.
            dir = Files.createTempDirectory("python-oracle");
            Path in = Files.writeString(dir.resolve("stdin"), stdin, StandardCharsets.UTF_8);
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(in.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            Map<String, String> env = builder.environment();
            env.put("PYTHONHASHSEED", "0");
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            env.put("PYTHONIOENCODING", "utf-8");  // we decode its output as UTF-8 whatever the locale
            int exit = waitFor(builder.start(), command);
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (exit != 0) {
                throw new AssertionError(command + " exited with " + exit
                        + "\n--- stdout ---\n" + stdout
                        + "\n--- stderr ---\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static int waitFor(Process process, List<String> command) {
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(command + " timed out after " + TIMEOUT_MINUTES + " minutes");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            for (String name : List.of("stdin", "stdout", "stderr")) {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover temp file must not hide the real result
        }
    }
}
