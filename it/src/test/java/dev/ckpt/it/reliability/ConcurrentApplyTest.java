package dev.ckpt.it.reliability;

import static dev.ckpt.it.reliability.FaultCheckpoints.awaitPause;
import static dev.ckpt.it.reliability.FaultCheckpoints.check;
import static dev.ckpt.it.reliability.FaultCheckpoints.lockFile;
import static dev.ckpt.it.reliability.FaultCheckpoints.sha256;
import static dev.ckpt.it.reliability.FaultCheckpoints.tempFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.io.CheckpointLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@link ApplyProcess} JVMs on one checkpoint never both write: while the first holds the
 * checkpoint (paused after reading it, by {@code M1700000300_pause_for_tests}) a second one
 * either refuses at once ({@code --lock-timeout=0}) or waits and then finds the file up to date;
 * the result, loaded by the real torch, holds each migration record once. A checkpoint replaced
 * or appended to by someone else while the first run holds it is detected before the rename:
 * that run fails and the file keeps what the other party wrote.
 */
class ConcurrentApplyTest {
    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    static Path made;
    private static Path original;

    @TempDir
    Path dir;
    private Path file;
    private Path pause;

    @BeforeAll
    static void makeCheckpoint() throws Exception {
        original = FaultCheckpoints.make(made.resolve("model.ckpt"), 8);
    }

    @BeforeEach
    void copyCheckpoint() throws IOException {
        file = Files.copy(original, dir.resolve("model.ckpt"));
        pause = dir.resolve("pause");
    }

    @Test
    void aSecondApplyWithoutLockTimeoutRefusesWhileTheFirstHoldsTheCheckpoint() throws Exception {
        String before = sha256(file);
        try (FaultProcess first = startPaused()) {
            FaultProcess.Result second = FaultProcess.apply("--lock-timeout=0", "--no-backup", file.toString());
            second.assertFailure(file, "another process", "lock", file.toString());
            assertTrue(first.isAlive(), "the second run must refuse, not wait for the first");
            assertEquals(before, sha256(file));
            // The refusing run must not delete the lock the first still holds.
            assertTrue(Files.exists(lockFile(file)), "lock file gone while the first run holds it");

            Files.delete(pause);
            FaultProcess.Result firstDone = first.await(RUN);
            assertEquals(0, firstDone.exit(), firstDone::toString);
        }
        assertMigratedAndClean();
    }

    @Test
    void aSecondApplyWaitsForTheLockThenFindsTheCheckpointUpToDate() throws Exception {
        try (FaultProcess first = startPaused();
             FaultProcess second = FaultProcess.start(ApplyProcesses.apply(Map.of(), List.of("--lock-timeout=60", "--no-backup", file.toString())))) {
            awaitWaitingForLock(second);
            Files.delete(pause);

            FaultProcess.Result firstDone = first.await(RUN);
            assertEquals(0, firstDone.exit(), firstDone::toString);
            assertTrue(firstDone.stdout().contains("+ MIGRATE"), firstDone::toString);
            FaultProcess.Result secondDone = second.await(RUN);
            assertEquals(0, secondDone.exit(), secondDone::toString);
            assertTrue(secondDone.stdout().contains(file + ": already up to date"), secondDone::toString);
            assertFalse(secondDone.stdout().contains("MIGRATE"), secondDone::toString);
        }
        assertMigratedAndClean();
    }

    @Test
    void aCheckpointReplacedByRenameWhileHeldIsNotOverwritten() throws Exception {
        Path other = FaultCheckpoints.make(dir.resolve("other.ckpt"), 4);
        String theirs = sha256(other);
        try (FaultProcess first = startPaused()) {
            Files.move(other, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(pause);
            first.await(RUN).assertFailure(file, "changed on disk", file.toString());
        }
        assertEquals(theirs, sha256(file));
        assertNoTempOrLockFile();
    }

    @Test
    void aCheckpointAppendedToInPlaceWhileHeldIsNotOverwritten() throws Exception {
        try (FaultProcess first = startPaused()) {
            Files.write(file, new byte[4096], StandardOpenOption.APPEND);
            String theirs = sha256(file);
            Files.delete(pause);
            first.await(RUN).assertFailure(file, "changed on disk", file.toString());
            assertEquals(theirs, sha256(file));
        }
        assertNoTempOrLockFile();
    }

    /** Starts an apply of the checkpoint and returns once it is paused holding it. */
    private FaultProcess startPaused() throws IOException, InterruptedException {
        Files.createFile(pause);
        FaultProcess first = FaultProcess.start(ApplyProcesses.apply(Map.of("ckpt.it.pause", pause.toString()), List.of("--no-backup", file.toString())));
        awaitPause(pause, first);
        return first;
    }

    /**
     * Waits until {@code process} is waiting for the checkpoint's lock (a jcmd thread dump shows
     * it in {@link CheckpointLock#acquire}), so that releasing the lock then tests the waiting,
     * not a second run that had not got that far yet.
     */
    private static void awaitWaitingForLock(FaultProcess process) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        String waiting = CheckpointLock.class.getName() + ".acquire(";
        long deadline = System.nanoTime() + RUN.toNanos();
        while (!FaultProcess.run(RUN, List.of(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")).stdout().contains(waiting)) {
            assertTrue(process.isAlive(), () -> "ended before waiting for the lock: " + process.output());
            assertTrue(System.nanoTime() < deadline, () -> "not seen waiting for the lock: " + process.output());
        }
    }

    private void assertMigratedAndClean() throws IOException, InterruptedException {
        assertEquals("migrated", check(file, FaultCheckpoints.manifest(original)));
        assertNoTempOrLockFile();
    }

    private void assertNoTempOrLockFile() throws IOException {
        assertEquals(List.of(), tempFiles(dir));
        assertFalse(Files.exists(lockFile(file)), "lock file left after the last run");
    }
}
