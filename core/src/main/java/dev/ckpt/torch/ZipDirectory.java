package dev.ckpt.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the central directory of a zip archive (zip64 included) into {@link ArchiveRecord}s,
 * checking every offset against the file so that a truncated or forged archive fails with a
 * message instead of a wild read. Only stored (uncompressed) records are accepted: torch.save
 * never compresses.
 */
final class ZipDirectory {
    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xffff;
    private static final long MAX_DIRECTORY_BYTES = 256L << 20;

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;

    private ZipDirectory(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.fileSize = channel.size();
    }

    static List<ArchiveRecord> read(Path file, FileChannel channel) throws IOException {
        return new ZipDirectory(file, channel).records();
    }

    /** Where the central directory starts: the end of the records' bytes. */
    static long directoryOffset(Path file, FileChannel channel) throws IOException {
        return new ZipDirectory(file, channel).locate().offset();
    }

    /** Where the central directory lies and how many entries it declares. */
    private record Location(long entries, long size, long offset) {
    }

    private List<ArchiveRecord> records() throws IOException {
        Location directory = locate();
        return parseDirectory(read(directory.offset(), (int) directory.size()), directory.entries(), directory.offset());
    }

    private Location locate() throws IOException {
        if (fileSize < EOCD_SIZE) {
            throw fail(null, "not a zip archive (only " + fileSize + " bytes); a torch.save checkpoint is a zip");
        }
        long eocd = findEndOfCentralDirectory();
        ByteBuffer end = read(eocd, EOCD_SIZE);
        long entries = end.getShort(10) & 0xffff;
        long directorySize = end.getInt(12) & 0xffffffffL;
        long directoryOffset = end.getInt(16) & 0xffffffffL;
        long directoryEnd = eocd;
        if (eocd >= 20 && read(eocd - 20, 4).getInt(0) == ZIP64_LOCATOR_SIGNATURE) {
            long zip64Offset = read(eocd - 20, 20).getLong(8);
            if (zip64Offset < 0 || zip64Offset + 56 > eocd - 20) {
                throw fail(null, "corrupt zip64 locator (offset " + zip64Offset + ")");
            }
            ByteBuffer zip64 = read(zip64Offset, 56);
            if (zip64.getInt(0) != ZIP64_EOCD_SIGNATURE) {
                throw fail(null, "corrupt zip: no zip64 end-of-central-directory record at " + zip64Offset);
            }
            entries = zip64.getLong(32);
            directorySize = zip64.getLong(40);
            directoryOffset = zip64.getLong(48);
            directoryEnd = zip64Offset;
        }
        if (directoryOffset < 0 || directorySize < 0 || directoryOffset + directorySize > directoryEnd) {
            throw fail(null, "truncated or corrupt zip: the central directory (" + directorySize + " bytes at " + directoryOffset
                    + ") lies outside the file's " + fileSize + " bytes");
        }
        if (directorySize > MAX_DIRECTORY_BYTES) {
            throw fail(null, "zip central directory of " + directorySize + " bytes is larger than the " + MAX_DIRECTORY_BYTES + " supported");
        }
        return new Location(entries, directorySize, directoryOffset);
    }

    private long findEndOfCentralDirectory() throws IOException {
        int tail = (int) Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
        ByteBuffer buf = read(fileSize - tail, tail);
        for (int i = tail - EOCD_SIZE; i >= 0; i--) {
            if (buf.getInt(i) == EOCD_SIGNATURE && i + EOCD_SIZE + (buf.getShort(i + 20) & 0xffff) == tail) {
                return fileSize - tail + i;
            }
        }
        throw startsLikeAZip()
                ? fail(null, "truncated zip archive: it starts like one but has no end-of-central-directory record in its "
                        + fileSize + " bytes (the file was cut short)")
                : fail(null, "not a zip archive (no zip header, no end-of-central-directory record): not a torch.save checkpoint");
    }

    /** A zip starts with a record's local header; a cut-off checkpoint still does. */
    private boolean startsLikeAZip() throws IOException {
        return fileSize >= 4 && read(0, 4).getInt(0) == LOCAL_SIGNATURE;
    }

    private List<ArchiveRecord> parseDirectory(ByteBuffer dir, long entries, long directoryOffset) throws IOException {
        List<ArchiveRecord> records = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        int pos = 0;
        for (long i = 0; i < entries; i++) {
            if (pos + 46 > dir.limit() || dir.getInt(pos) != CENTRAL_SIGNATURE) {
                throw fail(null, "corrupt zip central directory at entry " + i);
            }
            int method = dir.getShort(pos + 10) & 0xffff;
            int crc = dir.getInt(pos + 16);
            long compressed = dir.getInt(pos + 20) & 0xffffffffL;
            long size = dir.getInt(pos + 24) & 0xffffffffL;
            int nameLength = dir.getShort(pos + 28) & 0xffff;
            int extraLength = dir.getShort(pos + 30) & 0xffff;
            int commentLength = dir.getShort(pos + 32) & 0xffff;
            long headerOffset = dir.getInt(pos + 42) & 0xffffffffL;
            int next = pos + 46 + nameLength + extraLength + commentLength;
            if (next > dir.limit()) {
                throw fail(null, "corrupt zip central directory at entry " + i);
            }
            String name = utf8(dir, pos + 46, nameLength);
            long[] big = zip64Fields(dir, pos + 46 + nameLength, extraLength, size, compressed, headerOffset);
            size = big[0];
            compressed = big[1];
            headerOffset = big[2];
            if (method != 0) {
                throw fail(name, "record is compressed (zip method " + method + "); torch.save stores records uncompressed");
            }
            if (compressed != size) {
                throw fail(name, "stored record declares " + compressed + " stored bytes for " + size + " bytes of data");
            }
            if (!names.add(name)) {
                // torch reads one of them and ckpt could read the other: refuse rather than guess which
                throw fail(name, "the archive has two records of this name");
            }
            records.add(new ArchiveRecord(name, headerOffset, dataOffset(name, headerOffset, size, directoryOffset), size, crc, true));
            pos = next;
        }
        return records;
    }

    /** Sizes and offset from the zip64 extra field where the 32-bit fields overflowed. */
    private long[] zip64Fields(ByteBuffer dir, int start, int length, long size, long compressed, long offset) {
        long[] values = {size, compressed, offset};
        int pos = start;
        while (pos + 4 <= start + length) {
            int id = dir.getShort(pos) & 0xffff;
            int dataSize = dir.getShort(pos + 2) & 0xffff;
            if (id == 1) {
                int field = pos + 4;
                for (int k = 0; k < 3 && field + 8 <= pos + 4 + dataSize; k++) {
                    if (values[k] == 0xffffffffL) {
                        values[k] = dir.getLong(field);
                        field += 8;
                    }
                }
            }
            pos += 4 + dataSize;
        }
        return values;
    }

    private long dataOffset(String name, long headerOffset, long size, long directoryOffset) throws IOException {
        if (headerOffset < 0 || headerOffset + 30 > directoryOffset) {
            throw fail(name, "local header offset " + headerOffset + " lies outside the archive data");
        }
        // One read for the header and the name the directory expects there (a thousand records: a thousand reads fewer)
        int expectedNameLength = name.getBytes(StandardCharsets.UTF_8).length;
        ByteBuffer local = read(headerOffset, (int) Math.min(30 + expectedNameLength, directoryOffset - headerOffset));
        if (local.getInt(0) != LOCAL_SIGNATURE) {
            throw fail(name, "no local header at offset " + headerOffset + " (corrupt zip)");
        }
        int localNameLength = local.getShort(26) & 0xffff;
        ByteBuffer localName = local.limit() >= 30 + localNameLength ? local.slice(30, localNameLength)
                : read(headerOffset + 30, localNameLength);
        if (!utf8(localName, 0, localNameLength).equals(name)) {
            throw fail(name, "the local header at offset " + headerOffset + " names another record (a forged zip)");
        }
        long dataOffset = headerOffset + 30 + localNameLength + (local.getShort(28) & 0xffff);
        if (size < 0 || size > directoryOffset - dataOffset) {  // not dataOffset + size: a forged size near 2^63 overflows
            throw fail(name, "record of " + size + " bytes at offset " + dataOffset + " runs past the end of the archive data (truncated file?)");
        }
        return dataOffset;
    }

    private ByteBuffer read(long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw fail(null, "unexpected end of file at " + (position + buf.position()));
            }
        }
        return buf.flip();
    }

    private static String utf8(ByteBuffer buf, int pos, int length) {
        byte[] bytes = new byte[length];
        buf.get(pos, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private CheckpointFormatException fail(String record, String message) {
        return new CheckpointFormatException(file, record, message);
    }
}
