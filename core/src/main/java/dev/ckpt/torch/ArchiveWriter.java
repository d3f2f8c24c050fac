package dev.ckpt.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a zip archive laid out as torch's {@code PyTorchStreamWriter} lays it out: records
 * stored uncompressed, each record's data 64-byte aligned by padding an extra field of the
 * local header, a data descriptor after each record, a zip64 end record always, and zip64
 * fields wherever sizes or offsets pass 32 bits. Copied records are streamed in bounded chunks
 * and their CRC is checked on the way.
 */
final class ArchiveWriter {
    static final int ALIGNMENT = 64;
    private static final int COPY_CHUNK = 1 << 20;
    private static final long MAX32 = 0xffffffffL;

    /** What the central directory needs about a record once it is written. */
    private record Written(byte[] name, long headerOffset, long dataOffset, long size, int crc) {
    }

    private final FileChannel out;
    private final List<Written> written = new ArrayList<>();
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(COPY_CHUNK);
    private long position;

    ArchiveWriter(FileChannel out) throws IOException {
        this.out = out;
        this.position = out.position();
    }

    void writeRecord(String name, byte[] data) throws IOException {
        long headerOffset = writeLocalHeader(name);
        long dataOffset = position;
        writeFully(ByteBuffer.wrap(data));
        CRC32 crc = new CRC32();
        crc.update(data);
        finishRecord(name, headerOffset, dataOffset, data.length, (int) crc.getValue());
    }

    /**
     * Copies a record's bytes from another file, checking them against the CRC the source declares
     * (when it has one); a mismatch fails before the archive is finished.
     */
    void copyRecord(String name, Path sourceFile, FileChannel source, ArchiveRecord record) throws IOException {
        long headerOffset = writeLocalHeader(name);
        long dataOffset = position;
        CRC32 crc = new CRC32();
        long done = 0;
        while (done < record.size()) {
            chunk.clear().limit((int) Math.min(COPY_CHUNK, record.size() - done));
            while (chunk.hasRemaining()) {
                if (source.read(chunk, record.dataOffset() + done + chunk.position()) < 0) {
                    throw new IOException("unexpected end of file in record " + record.name());
                }
            }
            chunk.flip();
            crc.update(chunk);
            chunk.rewind();
            writeFully(chunk);
            done += chunk.limit();
        }
        if (record.hasCrc() && (int) crc.getValue() != record.crc32()) {
            throw CheckpointFormatException.crcMismatch(sourceFile, record, (int) crc.getValue());
        }
        finishRecord(name, headerOffset, dataOffset, record.size(), (int) crc.getValue());
    }

    /** The records written so far, as a reader of the finished archive must find them. */
    List<ArchiveRecord> records() {
        return written.stream().map(w -> new ArchiveRecord(new String(w.name(), StandardCharsets.UTF_8),
                w.headerOffset(), w.dataOffset(), w.size(), w.crc(), true)).toList();
    }

    /** Writes the central directory and end records. */
    void finish() throws IOException {
        long directoryOffset = position;
        for (Written record : written) {
            writeFully(centralHeader(record));
        }
        long directorySize = position - directoryOffset;
        long zip64Offset = position;
        ByteBuffer end = le(56 + 20 + 22);
        end.putInt(0x06064b50).putLong(44).putShort((short) 0x031e).putShort((short) 45).putInt(0).putInt(0)
                .putLong(written.size()).putLong(written.size()).putLong(directorySize).putLong(directoryOffset);
        end.putInt(0x07064b50).putInt(0).putLong(zip64Offset).putInt(1);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) Math.min(written.size(), 0xffff)).putShort((short) Math.min(written.size(), 0xffff))
                .putInt((int) Math.min(directorySize, MAX32)).putInt((int) Math.min(directoryOffset, MAX32)).putShort((short) 0);
        writeFully(end.flip());
    }

    private long writeLocalHeader(String name) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        long headerOffset = position;
        long unpadded = headerOffset + 30 + nameBytes.length + 4;
        int padding = (int) ((ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT);
        ByteBuffer header = le(30 + nameBytes.length + 4 + padding);
        header.putInt(0x04034b50).putShort((short) 0).putShort((short) 0x0808).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0)
                .putShort((short) nameBytes.length).putShort((short) (4 + padding)).put(nameBytes);
        header.put((byte) 'F').put((byte) 'B').putShort((short) padding);
        for (int i = 0; i < padding; i++) {
            header.put((byte) 'Z');
        }
        writeFully(header.flip());
        return headerOffset;
    }

    private void finishRecord(String name, long headerOffset, long dataOffset, long size, int crc) throws IOException {
        boolean big = size >= MAX32;
        ByteBuffer descriptor = le(big ? 24 : 16);
        descriptor.putInt(0x08074b50).putInt(crc);
        if (big) {
            descriptor.putLong(size).putLong(size);
        } else {
            descriptor.putInt((int) size).putInt((int) size);
        }
        writeFully(descriptor.flip());
        written.add(new Written(name.getBytes(StandardCharsets.UTF_8), headerOffset, dataOffset, size, crc));
    }

    private static ByteBuffer centralHeader(Written record) {
        boolean bigSize = record.size() >= MAX32;
        boolean bigOffset = record.headerOffset() >= MAX32;
        int extra = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
        int extraLength = extra == 0 ? 0 : 4 + extra;
        ByteBuffer header = le(46 + record.name().length + extraLength);
        header.putInt(0x02014b50).putShort((short) 0).putShort((short) (extra == 0 ? 0 : 45)).putShort((short) 0x0808)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(record.crc())
                .putInt((int) (bigSize ? MAX32 : record.size())).putInt((int) (bigSize ? MAX32 : record.size()))
                .putShort((short) record.name().length).putShort((short) extraLength).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt((int) (bigOffset ? MAX32 : record.headerOffset())).put(record.name());
        if (extra > 0) {
            header.putShort((short) 1).putShort((short) extra);
            if (bigSize) {
                header.putLong(record.size()).putLong(record.size());
            }
            if (bigOffset) {
                header.putLong(record.headerOffset());
            }
        }
        return header.flip();
    }

    private void writeFully(ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            position += out.write(buf);
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
