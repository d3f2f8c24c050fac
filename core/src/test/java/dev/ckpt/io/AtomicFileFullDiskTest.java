package dev.ckpt.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full file system (a 4 MB tmpfs this test mounts; it needs root, as in CI): the
 * replacement fails with an error that says "no space left", names the file, and leaves the
 * original byte-identical with no temp file; both when the free-space check refuses up front and
 * when the write itself runs out of space (the kernel's ENOSPC, no early check).
 */
class AtomicFileFullDiskTest {
    private static final int MB = 1 << 20;

    @TempDir
    Path parent;
    private Path disk;
    private boolean mounted;

    @BeforeEach
    void mountSmallTmpfs() throws Exception {
        disk = Files.createDirectory(parent.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        mounted = mount.waitFor() == 0;
        assumeTrue(mounted, "mounting a tmpfs needs root: " + output);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void theWriteRunningOutOfSpaceSaysSoAndKeepsTheOriginal() throws IOException {
        Path target = Files.write(disk.resolve("model.ckpt"), new byte[2 * MB]);
        byte[] before = Files.readAllBytes(target);

        IOException e = assertThrows(IOException.class, () -> AtomicFile.replace(target, 0, (channel, file) -> {
            ByteBuffer content = ByteBuffer.allocate(3 * MB);
            while (content.hasRemaining()) {
                channel.write(content);
            }
        }, written -> { }, () -> { }));

        assertTrue(e.getMessage().startsWith(target.toAbsolutePath() + ": no space left on the file system of "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; the original is unchanged"), e.getMessage());
        assertTrue(String.valueOf(e.getCause()).contains("No space left on device"), "the kernel's ENOSPC: " + e.getCause());
        assertUntouched(target, before);
    }

    @Test
    void tooLittleFreeSpaceIsRefusedBeforeWriting() throws IOException {
        Path target = Files.write(disk.resolve("model.ckpt"), new byte[2 * MB]);
        byte[] before = Files.readAllBytes(target);

        IOException e = assertThrows(IOException.class, () -> AtomicFile.replace(target, 3L * MB,
                (channel, file) -> { throw new AssertionError("nothing may be written"); }, written -> { }, () -> { }));

        assertTrue(e.getMessage().startsWith(target.toAbsolutePath() + ": no space left on the file system of "), e.getMessage());
        assertTrue(e.getMessage().contains("(needs about 3.1 MB, "), e.getMessage());
        assertUntouched(target, before);
    }

    private void assertUntouched(Path target, byte[] before) throws IOException {
        assertArrayEquals(before, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(disk)) {
            assertEquals(List.of(target), files.toList(), "no temp file left");
        }
    }
}
