package dev.ckpt.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PythonOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Python package {@code python/ckpt_migrations} (the Lightning callback and {@code stamp}), checked
 * by its own unittest suite under this run's torch oracle ({@link PythonOracle#python()}): under
 * torch 1.13, which has no Lightning, every test but the Lightning ones runs; under torch 2.13 with
 * Lightning 2.6.6 every test runs ({@code CKPT_REQUIRE_LIGHTNING=1} turns a skip into a failure).
 */
class PythonCallbackTest {
    private static final List<Path> REPOSITORY_ROOTS = List.of(
            Path.of(".."),      // cwd = it/ (Maven)
            Path.of(""));       // cwd = repository root (IDE)
    private static final String TESTS = "python/tests";
    private static final String LIGHTNING_TESTS = "test_lightning";
    private static final long TIMEOUT_MINUTES = 5;
    private static final Pattern TEST_METHOD = Pattern.compile("^    def test_", Pattern.MULTILINE);
    private static final Pattern RAN = Pattern.compile("^Ran (\\d+) tests? in ", Pattern.MULTILINE);
    // "test_x (test_module.Class.test_x) ... skipped 'why'" (Python 3.11; 3.9 has no ".test_x")
    private static final Pattern SKIPPED = Pattern.compile("\\((\\w+)\\.[\\w.]+\\) \\.\\.\\. skipped ");

    private static Path root;
    private static int exitCode;
    private static String output;

    @BeforeAll
    static void runTheUnittestSuite() throws IOException, InterruptedException {
        root = REPOSITORY_ROOTS.stream()
                .filter(dir -> Files.isDirectory(dir.resolve(TESTS)))
                .findFirst()
                .map(Path::toAbsolutePath)
                .orElseThrow(() -> new IllegalStateException(TESTS + " not found from " + Path.of("").toAbsolutePath()));
        Path log = Files.createTempFile("python-callback-tests", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(PythonOracle.python(), "-m", "unittest", "discover", "-s", TESTS, "-v")
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("PYTHONDONTWRITEBYTECODE", "1");
            env.put("PYTHONIOENCODING", "utf-8");
            env.put("OMP_NUM_THREADS", "1");
            env.put("CKPT_REQUIRE_TORCH", "1");
            env.remove("CKPT_MIGRATIONS_MANIFEST");
            if (PythonOracle.torch2()) {
                env.put("CKPT_REQUIRE_LIGHTNING", "1");
            }
            exitCode = waitFor(builder.start(), builder.command());
            output = Files.readString(log, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void theSuitePasses() {
        assertEquals(0, exitCode, output);
    }

    @Test
    void everyTestMethodOfTheSuiteRan() throws IOException {
        Matcher ran = RAN.matcher(output);
        assertTrue(ran.find(), output);
        assertEquals(testMethods("test_*.py"), Integer.parseInt(ran.group(1)), output);
    }

    @Test
    void onlyTheLightningTestsAreSkippedAndOnlyWhereTheOracleHasNoLightning() throws IOException {
        List<String> skipped = SKIPPED.matcher(output).results().map(m -> m.group(1)).toList();
        if (PythonOracle.torch2()) {
            assertEquals(List.of(), skipped, output);
        } else {
            assertEquals(testMethods(LIGHTNING_TESTS + ".py"), skipped.size(), output);
            assertEquals(List.of(LIGHTNING_TESTS), skipped.stream().distinct().toList(), output);
        }
    }

    /** The test methods ({@code def test_...} in a class) that the suite's files matching {@code glob} define. */
    private static int testMethods(String glob) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.list(root.resolve(TESTS))) {
            return files.filter(file -> matcher.matches(file.getFileName())).mapToInt(PythonCallbackTest::testMethodsIn).sum();
        }
    }

    private static int testMethodsIn(Path file) {
        try {
            return (int) TEST_METHOD.matcher(Files.readString(file, StandardCharsets.UTF_8)).results().count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int waitFor(Process process, List<String> command) throws InterruptedException {
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError(command + " timed out after " + TIMEOUT_MINUTES + " minutes");
        }
        return process.exitValue();
    }
}
