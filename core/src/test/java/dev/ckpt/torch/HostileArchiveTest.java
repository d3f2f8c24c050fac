package dev.ckpt.torch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives and files made to mislead: a second data.pkl in another folder (torch reads one, a
 * careless reader the other), a zip64 size near 2^63 whose sum with the offset overflows, a FIFO
 * in place of a checkpoint (opening it would block while holding the lock).
 */
class HostileArchiveTest {
    @TempDir
    Path dir;

    @Test
    void aDataPklBesideTheOneTorchReadsIsRefused() throws IOException {
        Path file = dir.resolve("two.ckpt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            stored(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            stored(zip, "decoy/data.pkl", new byte[] {(byte) 0x80, 2, '}', '.'});
            stored(zip, "archive/data.pkl", new byte[] {(byte) 0x80, 2, ']', '.'});
        }

        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.open(file).close());

        assertTrue(e.getMessage().contains("not the one torch reads"), e.getMessage());
    }

    @Test
    void aZip64SizeNearTwoToTheSixtyThreeIsRefusedNamingTheFileAndRecord() throws IOException {
        Path file = dir.resolve("huge.ckpt");
        byte[] name = "archive/data.pkl".getBytes(StandardCharsets.UTF_8);
        ByteBuffer zip = ByteBuffer.allocate(30 + name.length + 46 + name.length + 20 + 22).order(ByteOrder.LITTLE_ENDIAN);
        zip.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0)
                .putInt(0).putInt(0).putShort((short) name.length).putShort((short) 0).put(name);
        int directory = zip.position();
        zip.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0)
                .putInt(0xffffffff).putInt(0xffffffff).putShort((short) name.length).putShort((short) 20).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).put(name)
                .putShort((short) 1).putShort((short) 16).putLong(Long.MAX_VALUE - 15).putLong(Long.MAX_VALUE - 15);
        int directorySize = zip.position() - directory;
        zip.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                .putInt(directorySize).putInt(directory).putShort((short) 0);
        Files.write(file, java.util.Arrays.copyOf(zip.array(), zip.position()));

        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.open(file).close());

        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("archive/data.pkl")
                && e.getMessage().contains("runs past the end"), e.getMessage());
    }

    @Test
    void aFifoInPlaceOfACheckpointIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("last.ckpt");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mkfifo.waitFor() == 0);

        CheckpointFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.open(fifo).close()));

        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        OutputStream out = zip;
        out.write(data);
        zip.closeEntry();
    }
}
