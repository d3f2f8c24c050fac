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
 * Writes a zip archive byte for byte as torch's {@code PyTorchStreamWriter} (miniz) writes it:
 * records stored uncompressed, each record's data aligned to the archive's storage alignment by
 * an {@code FB} extra field of the local header ({@link TorchLayout#padding}), a zip64 extra
 * field in the local header of a record past 4 GiB or larger than 4 GiB, a data descriptor after
 * each non-empty record and none after an empty one, a zip64 end record always. Copied records
 * are streamed in bounded chunks and their CRC is checked on the way.
 */
final class ArchiveWriter {
    private static final int COPY_CHUNK = 1 << 20;
    private static final long MAX32 = 0xffffffffL;
    private static final short FLAGS_UTF8 = 0x0800;
    private static final short FLAGS_UTF8_DESCRIPTOR = 0x0808;

    /** What the central directory needs about a record once it is written. */
    private record Written(String name, byte[] nameBytes, long headerOffset, long dataOffset, long size, int crc) {
    }

    private final FileChannel out;
    private final TorchLayout layout;
    private final List<Written> written = new ArrayList<>();
    private final ByteBuffer chunk = ByteBuffer.allocateDirect(COPY_CHUNK);
    private final SerializationId serializationId = new SerializationId();
    private final WriteProgress progress;
    private final long expectedSize;
    private long position;

    ArchiveWriter(FileChannel out, TorchLayout layout, WriteProgress progress, long expectedSize) throws IOException {
        this.out = out;
        this.layout = layout;
        this.progress = progress;
        this.expectedSize = expectedSize;
        this.position = out.position();
    }

    /** Writes a record from memory; its CRC is computed unless the archive carries no CRCs. */
    void writeRecord(String name, byte[] data) throws IOException {
        long headerOffset = writeLocalHeader(name, data.length);
        long dataOffset = position;
        serializationId.observeWrite(data, data.length);
        writeFully(ByteBuffer.wrap(data));
        int crc = 0;
        if (layout.computesCrc()) {
            CRC32 crc32 = new CRC32();
            crc32.update(data);
            crc = (int) crc32.getValue();
        }
        finishRecord(name, headerOffset, dataOffset, data.length, crc);
    }

    /**
     * Writes torch's {@code .data/serialization_id} record, computed from the records written so
     * far as {@code PyTorchStreamWriter::writeSerializationId} computes it.
     */
    void writeSerializationId(String name, String prefix) throws IOException {
        writeRecord(name, serializationId.value(prefix).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Copies a record's bytes from another file, checking them against the CRC the source declares
     * (a declared 0 is torch's "no CRC computed", kept as it is); a mismatch fails before the
     * archive is finished.
     */
    void copyRecord(String name, Path sourceFile, FileChannel source, ArchiveRecord record) throws IOException {
        long headerOffset = writeLocalHeader(name, record.size());
        long dataOffset = position;
        CRC32 crc = new CRC32();
        long done = 0;
        while (done < record.size()) {
            chunk.clear().limit((int) Math.min(COPY_CHUNK, record.size() - done));
            while (chunk.hasRemaining()) {
                if (source.read(chunk, record.dataOffset() + done + chunk.position()) < 0) {
                    throw new CheckpointFormatException(sourceFile, record.name(), "file ends inside the record (truncated)");
                }
            }
            chunk.flip();
            if (done == 0) {
                serializationId.observeWrite(chunk, record.size());
            }
            crc.update(chunk);
            chunk.rewind();
            writeFully(chunk);
            done += chunk.limit();
            progress.written(position, expectedSize);
        }
        boolean declared = record.hasCrc() && record.crc32() != 0;
        if (declared && (int) crc.getValue() != record.crc32()) {
            throw CheckpointFormatException.crcMismatch(sourceFile, record, (int) crc.getValue());
        }
        int writtenCrc = record.hasCrc() || !layout.computesCrc() ? record.crc32() : (int) crc.getValue();
        finishRecord(name, headerOffset, dataOffset, record.size(), writtenCrc);
    }

    /**
     * Takes over a record of the source that lies, header and all, where this archive needs it:
     * the bytes before the writer's start were copied from the source at equal offsets. Only the
     * central directory and the serialization id learn of it; {@code head} holds the record's
     * first bytes (8 suffice), as torch's id looks at the start of each write.
     */
    void adoptRecord(ArchiveRecord record, ByteBuffer head) {
        byte[] nameBytes = record.name().getBytes(StandardCharsets.UTF_8);
        serializationId.observeWrite(nameBytes, nameBytes.length);
        serializationId.observeWrite(head, record.size());
        if (TorchLayout.descriptorSize(record.headerOffset(), record.size()) > 0) {
            serializationId.observeDescriptor(record.crc32());
        }
        note(record.name(), record.headerOffset(), record.dataOffset(), record.size(), record.crc32());
    }

    /** The records written so far, as a reader of the finished archive must find them. */
    List<ArchiveRecord> records() {
        return written.stream().map(w -> new ArchiveRecord(w.name(), w.headerOffset(), w.dataOffset(), w.size(), w.crc(), true)).toList();
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

    private long writeLocalHeader(String name, long size) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        long headerOffset = position;
        boolean bigSize = size >= MAX32;
        boolean bigOffset = headerOffset >= MAX32;
        int zip64Length = TorchLayout.zip64ExtraLength(headerOffset, size);
        int padding = layout.padding(headerOffset, nameBytes.length, size);
        ByteBuffer header = le(30 + nameBytes.length + zip64Length + 4 + padding);
        header.putInt(0x04034b50).putShort((short) 0).putShort(size > 0 ? FLAGS_UTF8_DESCRIPTOR : FLAGS_UTF8).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(0).putInt(0)
                .putShort((short) nameBytes.length).putShort((short) (zip64Length + 4 + padding)).put(nameBytes);
        if (zip64Length > 0) {
            // miniz writes the sizes it knows before the data: the uncompressed size, and 0 as the stored size.
            header.putShort((short) 1).putShort((short) (zip64Length - 4));
            if (bigSize) {
                header.putLong(size).putLong(0);
            }
            if (bigOffset) {
                header.putLong(headerOffset);
            }
        }
        header.put((byte) 'F').put((byte) 'B').putShort((short) padding);
        for (int i = 0; i < padding; i++) {
            header.put((byte) 'Z');
        }
        header.flip();
        // miniz writes the name on its own; the header and the extra fields cannot look like a descriptor.
        serializationId.observeWrite(nameBytes, nameBytes.length);
        writeFully(header);
        return headerOffset;
    }

    private void finishRecord(String name, long headerOffset, long dataOffset, long size, int crc) throws IOException {
        int descriptorSize = TorchLayout.descriptorSize(headerOffset, size);
        if (descriptorSize > 0) {
            ByteBuffer descriptor = le(descriptorSize);
            descriptor.putInt(0x08074b50).putInt(crc);
            if (descriptorSize == 24) {
                descriptor.putLong(size).putLong(size);
            } else {
                descriptor.putInt((int) size).putInt((int) size);
            }
            serializationId.observeDescriptor(crc);
            writeFully(descriptor.flip());
        }
        note(name, headerOffset, dataOffset, size, crc);
    }

    private void note(String name, long headerOffset, long dataOffset, long size, int crc) {
        serializationId.observeRecord(name);
        written.add(new Written(name, name.getBytes(StandardCharsets.UTF_8), headerOffset, dataOffset, size, crc));
    }

    private static ByteBuffer centralHeader(Written record) {
        boolean bigSize = record.size() >= MAX32;
        boolean bigOffset = record.headerOffset() >= MAX32;
        int extra = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
        int extraLength = extra == 0 ? 0 : 4 + extra;
        byte[] name = record.nameBytes();
        ByteBuffer header = le(46 + name.length + extraLength);
        header.putInt(0x02014b50).putShort((short) 0).putShort((short) (extra == 0 ? 0 : 45))
                .putShort(record.size() > 0 ? FLAGS_UTF8_DESCRIPTOR : FLAGS_UTF8)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(record.crc())
                .putInt((int) (bigSize ? MAX32 : record.size())).putInt((int) (bigSize ? MAX32 : record.size()))
                .putShort((short) name.length).putShort((short) extraLength).putShort((short) 0)
                .putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt((int) (bigOffset ? MAX32 : record.headerOffset())).put(name);
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
