package dev.ckpt.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SameOffsetCopyTest {
    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeEach
    void callTheKernelDirectlyOnAnyFileSystem() {
        System.setProperty("ckpt.copy", "direct");
    }

    @org.junit.jupiter.api.AfterEach
    void chooseByFileSystemAgain() {
        System.clearProperty("ckpt.copy");
    }

    @Test
    void onLinuxBeforeJdk20TheKernelIsCalledDirectlyThroughJna() throws IOException {
        assertEquals(Runtime.version().feature() < SameOffsetCopy.JDK_WITH_COPY_FILE_RANGE, SameOffsetCopy.directCall(dir),
                "JDK " + Runtime.version() + " on " + System.getProperty("os.arch"));
    }

    @Test
    void byDefaultOnlyAFileSystemThatCanCloneGetsTheDirectCall() throws IOException {
        System.clearProperty("ckpt.copy");
        String type = Files.getFileStore(dir).type();
        assertEquals(Runtime.version().feature() < SameOffsetCopy.JDK_WITH_COPY_FILE_RANGE && SameOffsetCopy.CLONING_FILE_SYSTEMS.contains(type),
                SameOffsetCopy.directCall(dir), type);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 3 * 1024 * 1024 + 17})
    void copiesTheFirstBytesToTheSameOffsetsAndLeavesTheTargetPositionedAfterThem(int length) throws IOException {
        byte[] source = random(length + 1000);
        Path in = Files.write(dir.resolve("in"), source);
        Path out = Files.createFile(dir.resolve("out"));
        try (FileChannel inChannel = FileChannel.open(in, StandardOpenOption.READ);
             FileChannel outChannel = FileChannel.open(out, StandardOpenOption.WRITE)) {
            SameOffsetCopy.Method method = SameOffsetCopy.copy(in, key(in), inChannel, out, key(out), outChannel, length);
            assertEquals(length, outChannel.position());
            outChannel.write(ByteBuffer.wrap(new byte[] {42}));
            assertEquals(SameOffsetCopy.directCall(out) ? SameOffsetCopy.Method.COPY_FILE_RANGE : SameOffsetCopy.Method.TRANSFER_TO, method);
        }
        byte[] expected = Arrays.copyOf(source, length + 1);
        expected[length] = 42;
        assertArrayEquals(expected, Files.readAllBytes(out));
    }

    @Test
    void theJdksCopyGivesTheSameBytes() throws IOException {
        byte[] source = random(2 * 1024 * 1024 + 5);
        Path in = Files.write(dir.resolve("in"), source);
        Path out = Files.createFile(dir.resolve("out"));
        System.setProperty("ckpt.copy", "jdk");
        try (FileChannel inChannel = FileChannel.open(in, StandardOpenOption.READ);
             FileChannel outChannel = FileChannel.open(out, StandardOpenOption.WRITE)) {
            assertEquals(SameOffsetCopy.Method.TRANSFER_TO, SameOffsetCopy.copy(in, key(in), inChannel, out, key(out), outChannel, source.length));
        }
        assertArrayEquals(source, Files.readAllBytes(out));
    }

    @Test
    void aFilePutInTheSourcesPlaceIsRefusedNotCopied() throws IOException {
        Path in = Files.write(dir.resolve("in"), random(10_000));
        Path out = Files.createFile(dir.resolve("out"));
        try (FileChannel inChannel = FileChannel.open(in, StandardOpenOption.READ);
             FileChannel outChannel = FileChannel.open(out, StandardOpenOption.WRITE)) {
            assertTrue(SameOffsetCopy.directCall(out), "the suite runs on JDK 17");
            Object original = key(in);
            Files.move(Files.write(dir.resolve("other"), random(10_000)), in, StandardCopyOption.REPLACE_EXISTING);
            FileChangedException e = assertThrows(FileChangedException.class,
                    () -> SameOffsetCopy.copy(in, original, inChannel, out, key(out), outChannel, 10_000));
            assertTrue(e.getMessage().contains("another file was put in its place"), e.getMessage());
            assertEquals(0, Files.size(out));
        }
    }

    @Test
    void aSourceShorterThanTheCopyFailsNamingIt() throws IOException {
        Path in = Files.write(dir.resolve("in"), random(5000));
        Path out = Files.createFile(dir.resolve("out"));
        try (FileChannel inChannel = FileChannel.open(in, StandardOpenOption.READ);
             FileChannel outChannel = FileChannel.open(out, StandardOpenOption.WRITE)) {
            IOException e = assertThrows(IOException.class, () -> SameOffsetCopy.copy(in, key(in), inChannel, out, key(out), outChannel, 6000));
            assertTrue(e.getMessage().contains(in + ": the file ends at byte 5000"), e.getMessage());
        }
    }

    private static Object key(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }
}
