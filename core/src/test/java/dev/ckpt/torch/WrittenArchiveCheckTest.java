package dev.ckpt.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.io.AtomicFile;
import dev.ckpt.pickle.PickleWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check that reads a just-written archive back before it may replace anything: it passes a
 * good archive and refuses every damage a bad disk, a bug or a lying file system could cause
 * (a flipped byte in a new record, a cut file, a directory that does not match what was written,
 * a data.pkl that is not the pickle that was written); refused, the target stays as it was.
 */
class WrittenArchiveCheckTest {
    private static final PickleWriter PICKLE_WRITER = new PickleWriter();
    private static final byte[] PICKLE = PICKLE_WRITER.write(new LinkedHashMap<>(Map.of("epoch", 3L)));
    private static final byte[] STORAGE = "sixteen bytes!!!".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void aGoodArchivePasses() throws IOException {
        Path file = dir.resolve("good.ckpt");
        List<ArchiveRecord> written = write(file);

        check(file, PICKLE, written).check(file);
    }

    @Test
    void aFlippedByteInANewStorageIsCaught() throws IOException {
        Path file = dir.resolve("flipped.ckpt");
        List<ArchiveRecord> written = write(file);
        flip(file, written.get(1).dataOffset() + 5);

        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> check(file, PICKLE, written).check(file));

        assertEquals("archive/data/0", e.record());
        assertTrue(e.getMessage().contains("failed its check before replacing anything (its bytes do not match their CRC)"), e.getMessage());
    }

    @Test
    void aFlippedByteInDataPklIsCaught() throws IOException {
        Path file = dir.resolve("flipped.ckpt");
        List<ArchiveRecord> written = write(file);
        flip(file, written.get(0).dataOffset() + 3);

        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> check(file, PICKLE, written).check(file));

        assertEquals("archive/data.pkl", e.record());
    }

    @Test
    void aCutFileIsCaught() throws IOException {
        Path file = dir.resolve("cut.ckpt");
        List<ArchiveRecord> written = write(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 30);
        }

        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> check(file, PICKLE, written).check(file));

        assertTrue(e.getMessage().contains("no end-of-central-directory record"), e.getMessage());
    }

    @Test
    void aDirectoryThatDoesNotListWhatWasWrittenIsCaught() throws IOException {
        Path file = dir.resolve("short.ckpt");
        List<ArchiveRecord> written = write(file);

        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> check(file, PICKLE, written.subList(0, 2)).check(file));

        assertTrue(e.getMessage().contains("its zip directory does not list the records that were written"), e.getMessage());
    }

    @Test
    void aDataPklThatIsNotThePickleWrittenIsCaught() throws IOException {
        Path file = dir.resolve("other.ckpt");
        List<ArchiveRecord> written = write(file);
        byte[] other = PICKLE_WRITER.write(new LinkedHashMap<>(Map.of("epoch", 4L)));

        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> check(file, other, written).check(file));

        assertTrue(e.getMessage().contains("it does not hold the pickle that was written"), e.getMessage());
    }

    @Test
    void aRefusedFileNeverReplacesTheTargetAndIsRemoved() throws IOException {
        Path target = Files.writeString(dir.resolve("model.ckpt"), "the original checkpoint");
        byte[] before = Files.readAllBytes(target);
        WrittenArchiveCheck check = new WrittenArchiveCheck(target, "archive", PICKLE, PICKLE_WRITER, Set.of("archive/data/0"),
                TorchLayout.torch1(), java.util.Map.of());

        assertThrows(CheckpointFormatException.class, () -> AtomicFile.replace(target, 0, (out, file) -> {
            ArchiveWriter writer = new ArchiveWriter(out, TorchLayout.torch1(), WriteProgress.NONE, 0);
            writer.writeRecord("archive/data.pkl", PICKLE);
            writer.writeRecord("archive/data/0", STORAGE);
            writer.finish();
            check.expect(writer.records());
            out.write(ByteBuffer.wrap(new byte[] {'!'}), writer.records().get(1).dataOffset());
        }, check, () -> { }));

        assertArrayEquals(before, Files.readAllBytes(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "the refused temp file is removed");
        }
    }

    private static List<ArchiveRecord> write(Path file) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ArchiveWriter writer = new ArchiveWriter(out, TorchLayout.torch1(), WriteProgress.NONE, 0);
            writer.writeRecord("archive/data.pkl", PICKLE);
            writer.writeRecord("archive/data/0", STORAGE);
            writer.writeRecord("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            writer.finish();
            return writer.records();
        }
    }

    private static WrittenArchiveCheck check(Path file, byte[] pickle, List<ArchiveRecord> written) {
        WrittenArchiveCheck check = new WrittenArchiveCheck(file, "archive", pickle, PICKLE_WRITER,
                Set.of("archive/data/0", "archive/version"), TorchLayout.torch1(), java.util.Map.of());
        check.expect(written);
        return check;
    }

    private static void flip(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x01;
        Files.write(file, bytes);
    }
}
