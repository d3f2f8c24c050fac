package dev.ckpt.it.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the command line of an {@link ApplyProcess} JVM with this test run's class path and
 * the Debian torch oracle's paths. Surefire passes the real class path in
 * {@code surefire.test.class.path}; outside surefire {@code java.class.path} is it.
 */
final class ApplyProcesses {
    static final Path PYTHON = Path.of(dev.ckpt.pickle.PythonOracle.python());
    private static final List<Path> SCRIPT_DIRS = List.of(
            Path.of("src/test/python/reliability"),        // cwd = it/ (Maven)
            Path.of("it/src/test/python/reliability"));    // cwd = repository root (IDE)

    private ApplyProcesses() {
    }

    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@code java -cp <test class path> [-Dkey=value...] -Xmx256m ApplyProcess args...}. */
    static ProcessBuilder apply(Map<String, String> systemProperties, List<String> args) {
        List<String> command = new ArrayList<>(List.of(java().toString(), "-Xmx256m", "-cp", classPath()));
        systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add(ApplyProcess.class.getName());
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /** The reliability checkpoints script ({@code checkpoints.py make|check}). */
    static Path checkpointsScript() {
        for (Path dir : SCRIPT_DIRS) {
            if (dir.resolve("checkpoints.py").toFile().isFile()) {
                return dir.resolve("checkpoints.py").toAbsolutePath();
            }
        }
        throw new IllegalStateException("checkpoints.py not found in " + SCRIPT_DIRS);
    }
}
