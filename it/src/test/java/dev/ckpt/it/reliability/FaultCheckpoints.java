package dev.ckpt.it.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.security.auth.module.UnixSystem;
import dev.ckpt.io.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The checkpoints of the fault tests, made and checked by the real torch
 * ({@code checkpoints.py}), and what the tests look for around them: sha256, temp and lock
 * files, the pause handshake of {@code M1700000300_pause_for_tests}.
 */
final class FaultCheckpoints {
    static final Duration PYTHON_TIMEOUT = Duration.ofSeconds(120);

    private FaultCheckpoints() {
    }

    /** torch.saves a checkpoint of about {@code megabytes} to {@code file}, its manifest next to it. */
    static Path make(Path file, int megabytes) throws IOException, InterruptedException {
        FaultProcess.Result made = FaultProcess.run(PYTHON_TIMEOUT, List.of(ApplyProcesses.PYTHON.toString(),
                ApplyProcesses.checkpointsScript().toString(), "make", file.toString(), String.valueOf(megabytes)));
        assertEquals(0, made.exit(), made::toString);
        return file;
    }

    static Path manifest(Path made) {
        return made.resolveSibling(made.getFileName() + ".manifest.json");
    }

    /** torch.loads {@code file}: "original" or "migrated" (all three records, once each); fails the test otherwise. */
    static String check(Path file, Path manifest) throws IOException, InterruptedException {
        FaultProcess.Result checked = FaultProcess.run(PYTHON_TIMEOUT, List.of(ApplyProcesses.PYTHON.toString(),
                ApplyProcesses.checkpointsScript().toString(), "check", file.toString(), manifest.toString()));
        assertEquals(0, checked.exit(), checked::toString);
        return checked.stdout().strip();
    }

    /** Streams the file: the crash test's checkpoints are 300 MB. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Files left by {@link AtomicFile} in a directory ({@code *.ckpt-tmp}). */
    static List<Path> tempFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(AtomicFile.TEMP_SUFFIX)).toList();
        }
    }

    /** The lock file core keeps next to a checkpoint while applying to it. */
    static Path lockFile(Path checkpoint) {
        return checkpoint.resolveSibling("." + checkpoint.getFileName() + ".ckpt-lock");
    }

    static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }

    /**
     * Waits until {@code apply}, started with {@code -Dckpt.it.pause=pause}, is paused: the
     * checkpoint is read and locked, nothing is written yet.
     */
    static void awaitPause(Path pause, FaultProcess apply) throws InterruptedException {
        Path reached = pause.resolveSibling(pause.getFileName() + ".reached");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(reached)) {
            assertTrue(apply.isAlive(), () -> "ended before its pause: " + apply.output());
            assertTrue(System.nanoTime() < deadline, () -> "not paused after 60 s: " + apply.output());
            Thread.sleep(20);
        }
    }
}
