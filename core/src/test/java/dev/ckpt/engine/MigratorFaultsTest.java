package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.MigrationOracle.listing;
import static dev.ckpt.engine.Scenarios.OLD;
import static dev.ckpt.engine.Scenarios.OPTIONS;
import static dev.ckpt.engine.Scenarios.bytes;
import static dev.ckpt.engine.Scenarios.migrator;
import static dev.ckpt.engine.Scenarios.name;
import static dev.ckpt.engine.Scenarios.names;
import static dev.ckpt.engine.Scenarios.recordNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.scenarios.faults.M1780000000_loses_root;
import dev.ckpt.engine.scenarios.faults.M1780000001_stores_java_object;
import dev.ckpt.engine.scenarios.faults.M1780000002_edits_file_meanwhile;
import dev.ckpt.io.CheckpointLock;
import dev.ckpt.io.CheckpointLockedException;
import dev.ckpt.io.FileChangedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around a run, each leaving the checkpoint byte-identical with a message that names the
 * file and the culprit: migrations that leave no dict or an unpicklable value, a file changed on
 * disk while a run worked on it, a lock held by another run. Also: temp files of a killed run are
 * removed by the next run, and lock files do not outlive a run.
 */
@Tag("torch")
class MigratorFaultsTest {
    @TempDir
    Path dir;

    @AfterEach
    void forgetTheEdit() {
        M1780000002_edits_file_meanwhile.replacement = null;
    }

    @Test
    void aMigrationThatLeavesNoRootIsNamedAndChangesNothing() throws IOException {
        Path file = fixture("fresh", dir);
        byte[] before = bytes(file);

        MigrationFailedException e = assertThrows(MigrationFailedException.class,
                () -> migrator(M1780000000_loses_root.class).apply(file));

        assertEquals(name(M1780000000_loses_root.class), e.migration());
        assertTrue(e.getMessage().startsWith(file + ": migration " + name(M1780000000_loses_root.class)
                + " left the checkpoint's root as null (Python None); it must stay a dict"), e.getMessage());
        assertArrayEquals(before, bytes(file));
        assertEquals(List.of("model.ckpt"), listing(dir));
    }

    @Test
    void aMigrationThatStoresAnUnpicklableValueIsNamedAndChangesNothing() throws IOException {
        Path file = fixture("fresh", dir);
        byte[] before = bytes(file);

        MigrationFailedException e = assertThrows(MigrationFailedException.class,
                () -> migrator(M1780000001_stores_java_object.class).apply(file));

        assertEquals(name(M1780000001_stores_java_object.class), e.migration());
        assertTrue(e.getMessage().contains("left a value that cannot be written: cannot pickle a value of Java java.lang.Object"),
                e.getMessage());
        assertArrayEquals(before, bytes(file));
        assertEquals(List.of("model.ckpt"), listing(dir));
    }

    @Test
    void aFileChangedInPlaceDuringTheRunIsNotOverwritten() throws IOException {
        Path file = fixture("fresh", dir);
        byte[] before = bytes(file);

        FileChangedException e = assertThrows(FileChangedException.class,
                () -> migrator(M1780000002_edits_file_meanwhile.class).apply(file));

        assertTrue(e.getMessage().startsWith(file + ": changed on disk since it was read (its size went from "
                + before.length + " to " + (before.length + 1) + " bytes); nothing was written"), e.getMessage());
        byte[] after = bytes(file);
        assertEquals(before.length + 1, after.length, "the other writer's change is kept");
        assertEquals(List.of("model.ckpt"), listing(dir), "no temp file, no backup, no lock file");
    }

    @Test
    void aFileReplacedDuringTheRunIsNotOverwritten() throws IOException {
        Path file = fixture("fresh", dir);
        Path other = Files.writeString(dir.resolve("other"), "a file someone moved over the checkpoint");
        M1780000002_edits_file_meanwhile.replacement = other;

        FileChangedException e = assertThrows(FileChangedException.class,
                () -> migrator(M1780000002_edits_file_meanwhile.class).apply(file));

        assertTrue(e.getMessage().contains("changed on disk since it was read (another file was put in its place)"), e.getMessage());
        assertEquals("a file someone moved over the checkpoint", Files.readString(file));
        assertEquals(List.of("model.ckpt"), listing(dir));
    }

    @Test
    void theNextRunRemovesTheTempFilesAKilledRunLeftAndNothingElse() throws IOException {
        Path file = fixture("fresh", dir);
        Path stale = Files.writeString(dir.resolve(".model.ckpt.4242424242.ckpt-tmp"), "half a checkpoint");
        Path otherCheckpoints = Files.writeString(dir.resolve(".other.ckpt.4242.ckpt-tmp"), "not ours");
        Path notATemp = Files.writeString(dir.resolve(".model.ckpt.notes.ckpt-tmp"), "not a temp name");

        MigrationReport dryRun = migrator(OPTIONS.withDryRun(true), OLD).apply(file);
        assertTrue(Files.exists(stale), "a dry run holds no lock, so it must not touch temp files");
        assertEquals(List.of(), dryRun.warnings());

        MigrationReport report = migrator(OPTIONS.withBackup(false), OLD).apply(file);

        assertFalse(Files.exists(stale));
        assertEquals(List.of("removed 1 temp file(s) left by an interrupted run: [.model.ckpt.4242424242.ckpt-tmp]"),
                report.warnings());
        assertTrue(Files.exists(otherCheckpoints));
        assertTrue(Files.exists(notATemp));
        assertEquals(names(OLD), recordNames(file));
    }

    @Test
    void aRunRefusesACheckpointLockedByAnotherRunAndChangesNothing() throws IOException {
        Path file = fixture("fresh", dir);
        byte[] before = bytes(file);
        try (CheckpointLock held = CheckpointLock.acquire(file, Duration.ZERO)) {
            CheckpointLockedException e = CompletableFuture.supplyAsync(() -> assertThrows(CheckpointLockedException.class,
                    () -> migrator(OPTIONS.withLockTimeout(Duration.ZERO), OLD).apply(file))).join();

            assertTrue(e.getMessage().startsWith(file + ": another thread of this process is migrating this checkpoint"
                    + " (it holds the lock " + held.lockFile() + ")"), e.getMessage());
            assertTrue(e.getMessage().contains("gave up after waiting 0 s"), e.getMessage());
        }
        assertArrayEquals(before, bytes(file));
        assertEquals(List.of("model.ckpt"), listing(dir), "the lock file goes with its release");
    }

    @Test
    void aRunWaitsForTheLockAndProceedsOnceItIsFreed() throws Exception {
        Path file = fixture("fresh", dir);
        CompletableFuture<MigrationReport> waiting;
        try (CheckpointLock held = CheckpointLock.acquire(file, Duration.ZERO)) {
            waiting = CompletableFuture.supplyAsync(() -> applyWaiting(file, Duration.ofSeconds(30)));
            Thread.sleep(300);
            assertFalse(waiting.isDone(), "it waits while the lock is held");
        }
        MigrationReport report = waiting.get(30, TimeUnit.SECONDS);
        assertTrue(report.written());
        assertEquals(names(OLD), recordNames(file));
        assertEquals(List.of("model.ckpt"), listing(dir));
    }

    @Test
    void aLockFileLeftByAKilledProcessDoesNotBlock() throws IOException {
        Path file = fixture("fresh", dir);
        Files.writeString(CheckpointLock.lockFileOf(file), "pid 1 on a host that crashed");

        migrator(OPTIONS.withBackup(false).withLockTimeout(Duration.ZERO), OLD).apply(file);

        assertEquals(names(OLD), recordNames(file));
        assertEquals(List.of("model.ckpt"), listing(dir));
    }

    private static MigrationReport applyWaiting(Path file, Duration timeout) {
        try {
            return migrator(OPTIONS.withBackup(false).withLockTimeout(timeout), OLD).apply(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
