package dev.ckpt.it.reliability;

import static dev.ckpt.it.reliability.FaultCheckpoints.sha256;
import static dev.ckpt.it.reliability.FaultCheckpoints.tempFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An {@link ApplyProcess} on a file system without room for the migrated copy (a small tmpfs
 * this test mounts) fails with a "no space left" error naming the checkpoint, and leaves the
 * checkpoint byte-identical, its directory as it was (no temp or lock file) and the free space
 * it found: whether the copy cannot fit, the space runs out in the middle of writing it, the
 * file system is full from the start, or it has no free inode for the lock or the temp file. Mounting needs
 * root; the tests are skipped without it.
 */
class FullDiskTest {
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final int MIB = 1024 * 1024;
    private static final int RACE_ATTEMPTS = 5;

    @TempDir
    static Path made;
    /** About 32 MB: fits a 48 MB tmpfs once, not twice (the original and its migrated copy). */
    private static Path original;

    @TempDir
    Path mountPoint;
    private boolean mounted;
    private Path file;
    private String sha256Before;
    private List<Path> filesBefore;
    private long freeBefore;

    @BeforeAll
    static void makeCheckpoint() throws Exception {
        assumeTrue(FaultCheckpoints.isRoot(), "mounting a tmpfs needs root");
        original = FaultCheckpoints.make(made.resolve("model.ckpt"), 32);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            FaultProcess.Result umount = FaultProcess.run(RUN, List.of("umount", mountPoint.toString()));
            assertEquals(0, umount.exit(), umount::toString);
        }
    }

    @Test
    void aMigratedCopyThatCannotFitIsRefusedAndTheCheckpointKept() throws Exception {
        mountTmpfs("size=48m");
        noteBefore();

        FaultProcess.apply("--no-backup", file.toString()).assertFailure(file, "no space left", file.toString());
        assertKept();
    }

    @Test
    void aFileSystemThatFillsUpWhileTheTempFileIsWrittenFailsAndGivesTheSpaceBack() throws Exception {
        mountTmpfs("size=80m");
        // Just room for the migrated copy (a little larger than the original) when the apply looks, so it starts writing...
        fill(mountPoint.resolve("filler"), freeBytes() - Files.size(file) - MIB / 4);
        noteBefore();
        Path taker = mountPoint.resolve("taker");
        // ...then, as soon as its temp file exists, the rest goes to someone else. That is a race the apply
        // may win on a loaded machine (a complete migrated file then, checked by torch): try again.
        for (int attempt = 1; ; attempt++) {
            FaultProcess.Result apply;
            try (FaultProcess process = FaultProcess.start(ApplyProcesses.apply(Map.of(), List.of("--no-backup", file.toString())))) {
                awaitTempFile(process);
                takeTheRest(taker);
                apply = process.await(RUN);
            }
            Files.delete(taker);
            if (apply.exit() != 0) {
                apply.assertFailure(file, "no space left", file.toString());
                System.out.println("FullDiskTest: the space ran out mid-write on attempt " + attempt);
                break;
            }
            assertEquals("migrated", FaultCheckpoints.check(file, FaultCheckpoints.manifest(original)));
            assertTrue(attempt < RACE_ATTEMPTS, "the apply finished before the disk filled up in every attempt");
            Files.copy(original, file, StandardCopyOption.REPLACE_EXISTING);
        }
        assertKept();
    }

    @Test
    void aFileSystemFullFromTheStartFailsAndTheCheckpointIsKept() throws Exception {
        mountTmpfs("size=48m");
        takeTheRest(mountPoint.resolve("filler"));
        noteBefore();

        FaultProcess.apply("--no-backup", file.toString()).assertFailure(file, "no space left", file.toString());
        assertKept();
    }

    @ParameterizedTest(name = "nr_inodes={0}: no inode for the {1}")
    @CsvSource({"3, temp file", "2, lock file"})
    void aFileSystemWithoutAFreeInodeFailsSayingSoAndTheCheckpointIsKept(int inodes, String file) throws Exception {
        // Bytes enough for the copy; inodes for the root directory and the checkpoint (and the lock file with 3).
        mountTmpfs("size=100m,nr_inodes=" + inodes);
        noteBefore();

        FaultProcess.apply("--no-backup", this.file.toString())
                .assertFailure(this.file, "no space left", "to create the " + file, "probably out of inodes", this.file.toString());
        assertKept();
    }

    private void mountTmpfs(String options) throws Exception {
        FaultProcess.Result mount = FaultProcess.run(RUN, List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString()));
        assumeTrue(mount.exit() == 0, () -> "cannot mount a tmpfs: " + mount);
        mounted = true;
        file = Files.copy(original, mountPoint.resolve("model.ckpt"));
    }

    /** Notes what a failed apply must leave as it is: the checkpoint's bytes, the directory's files, the free space. */
    private void noteBefore() throws IOException {
        sha256Before = sha256(file);
        filesBefore = list(mountPoint);
        freeBefore = freeBytes();
    }

    /** No temp or lock file left, the partly written temp file's space given back. */
    private void assertKept() throws IOException {
        assertEquals(sha256Before, sha256(file));
        assertEquals(filesBefore, list(mountPoint));
        assertEquals(freeBefore, freeBytes(), "free bytes after the failed apply");
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private long freeBytes() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    /** Spins (no sleep: the write takes milliseconds) until the apply has created its temp file, or has ended. */
    private void awaitTempFile(FaultProcess process) throws IOException {
        long deadline = System.nanoTime() + RUN.toNanos();
        while (tempFiles(mountPoint).isEmpty() && process.isAlive()) {
            assertTrue(System.nanoTime() < deadline, () -> "no temp file after " + RUN.toSeconds() + " s: " + process.output());
            Thread.onSpinWait();
        }
    }

    /** Writes {@code bytes} real bytes: a sparse file would take no space on tmpfs. */
    private static void fill(Path filler, long bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(channel, bytes);
        }
    }

    /** Takes all the space left: writes until the file system is full. */
    private static void takeTheRest(Path taker) throws IOException {
        try (FileChannel channel = FileChannel.open(taker, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(channel, Long.MAX_VALUE);
        } catch (IOException e) {
            if (!"No space left on device".equals(e.getMessage())) {
                throw e;
            }
        }
    }

    private static void write(FileChannel channel, long bytes) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(MIB);
        for (long left = bytes; left > 0; left -= chunk.limit()) {
            chunk.clear().limit((int) Math.min(MIB, left));
            while (chunk.hasRemaining()) {
                channel.write(chunk);
            }
        }
    }
}
