package dev.ckpt.torch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive declaring a data.pkl of 1.9 GiB in a sparse file (a few kilobytes of disk) is refused
 * with a message before anything that size is allocated, within the suite's 256 MB heap.
 */
class SparseArchiveTest {
    @Test
    void aSparseGigabytePickleIsRefusedBeforeItIsAllocated(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("sparse.ckpt");
        long size = 1_900L << 20;
        byte[] name = "archive/data.pkl".getBytes(StandardCharsets.UTF_8);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer local = le(30 + name.length);
            local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0)
                    .putInt((int) size).putInt((int) size).putShort((short) name.length).putShort((short) 0).put(name);
            out.write(local.flip(), 0);
            long directory = 30 + name.length + size;  // the data itself is never written: a hole
            ByteBuffer central = le(46 + name.length + 22);
            central.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 0)
                    .putInt(0).putInt(0).putInt((int) size).putInt((int) size).putShort((short) name.length).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).put(name);
            central.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 1).putShort((short) 1)
                    .putInt(46 + name.length).putInt((int) directory).putShort((short) 0);
            out.write(central.flip(), directory);
        }

        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.open(file).close());

        assertTrue(e.getMessage().contains("archive/data.pkl") && e.getMessage().contains("heap"), e.getMessage());
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
