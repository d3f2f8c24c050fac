package dev.ckpt.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the fault tests. Its stdout and stderr go to temp files, so a chatty child
 * can never block on a full pipe; it is awaited with a bound (a child still running then is
 * killed and fails the test); closing it kills it if it still runs, so a failed test leaves no
 * paused {@link ApplyProcess} behind.
 */
final class FaultProcess implements AutoCloseable {
    private final String command;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private FaultProcess(String command, Process process, Path stdout, Path stderr) {
        this.command = command;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static FaultProcess start(ProcessBuilder builder) throws IOException {
        Path stdout = Files.createTempFile("ckpt-fault-", ".out");
        Path stderr = Files.createTempFile("ckpt-fault-", ".err");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        return new FaultProcess(describe(builder.command()), process, stdout, stderr);
    }

    /** The command line for failure messages, without the long class path. */
    private static String describe(List<String> command) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < command.size(); i++) {
            boolean classPath = i > 0 && command.get(i - 1).equals("-cp");
            line.append(i > 0 ? " " : "").append(classPath ? "<class path>" : command.get(i));
        }
        return line.toString();
    }

    /** Runs {@code command} to its end, at most {@code timeout}. */
    static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        try (FaultProcess process = start(new ProcessBuilder(command))) {
            return process.await(timeout);
        }
    }

    /** Runs an {@link ApplyProcess} with {@code args} to its end, at most a minute. */
    static Result apply(String... args) throws IOException, InterruptedException {
        try (FaultProcess process = start(ApplyProcesses.apply(Map.of(), List.of(args)))) {
            return process.await(Duration.ofSeconds(60));
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Result await(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("still running after " + timeout.toSeconds() + " s, killed: " + output());
        }
        return output();
    }

    /** What the process printed so far; exit -1 while it runs. */
    Result output() {
        try {
            return new Result(command, process.isAlive() ? -1 : process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroyForcibly().waitFor();
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
    }

    record Result(String command, int exit, String stdout, String stderr) {
        /**
         * Asserts that the run failed (exit 1) for {@code file} with a message holding every one
         * of {@code expected} (ignoring case); returns the message, what {@link ApplyProcess}
         * printed after {@code FAILED FILE: }. The file's path in that prefix does not count.
         */
        String assertFailure(Path file, String... expected) {
            assertEquals(1, exit, () -> "exit code of " + this);
            String prefix = "FAILED " + file + ": ";
            int at = stderr.indexOf(prefix);
            assertTrue(at >= 0, () -> "no failure reported for " + file + ": " + this);
            String message = stderr.substring(at + prefix.length()).strip();
            for (String part : expected) {
                assertTrue(message.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT)),
                        () -> "the message does not say \"" + part + "\": " + message);
            }
            return message;
        }

        @Override
        public String toString() {
            return command + "\nexit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr + "---";
        }
    }
}
