package dev.ckpt.torch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The layout rules of torch's writer, in one place: how {@code PyTorchStreamWriter} pads and
 * ends each record ({@code detail::getPadding}, miniz's descriptors), in which order
 * {@code torch.save} writes the storages, and the promise torch 2.7+'s loader relies on when
 * {@code .format_version} is 1 or more ({@code _get_offset} in {@code torch/serialization.py}):
 * the storages lie one after the other, in the order the unpickler first meets them, key
 * {@code 0} first, each followed by its data descriptor (none after an empty one), every
 * record's data aligned to {@code .storage_alignment} (64 when absent).
 *
 * <p>A layout is read from the archive being rewritten, so the new file keeps the conventions of
 * the torch that wrote it: torch 1.x wrote storages sorted by key as strings, torch 2.x in
 * first-use order; files saved with {@code compute_crc32 = False} carry CRC 0 everywhere.
 */
final class TorchLayout {
    static final String FORMAT_VERSION = ".format_version";
    static final String STORAGE_ALIGNMENT = ".storage_alignment";
    static final String BYTEORDER = "byteorder";
    static final String SERIALIZATION_ID = ".data/serialization_id";
    static final int DEFAULT_ALIGNMENT = 64;
    private static final long MAX32 = 0xffffffffL;
    private static final int LOCAL_HEADER = 30;

    private final int alignment;
    private final boolean firstUseOrder;
    private final boolean computesCrc;

    private TorchLayout(int alignment, boolean firstUseOrder, boolean computesCrc) {
        this.alignment = alignment;
        this.firstUseOrder = firstUseOrder;
        this.computesCrc = computesCrc;
    }

    /** The layout torch 1.x's writer (and ours, for new archives and pre-1.6 files) uses. */
    static TorchLayout torch1() {
        return new TorchLayout(DEFAULT_ALIGNMENT, false, true);
    }

    /**
     * The layout of an archive, from its records and the bytes of its
     * small ones ({@code .format_version}, {@code .storage_alignment}).
     *
     * @throws IllegalArgumentException for an alignment torch could not have written
     */
    static TorchLayout of(List<ArchiveRecord> records, Map<String, byte[]> small) {
        byte[] version = small.get(FORMAT_VERSION);
        // torch compares the record's bytes with b"1"
        boolean firstUse = version != null && compareBytes(version, "1".getBytes(StandardCharsets.US_ASCII)) >= 0;
        int alignment = DEFAULT_ALIGNMENT;
        byte[] declared = small.get(STORAGE_ALIGNMENT);
        if (declared != null) {
            String text = new String(declared, StandardCharsets.US_ASCII).strip();
            if (!text.matches("[1-9][0-9]{0,6}") || Integer.bitCount(Integer.parseInt(text)) != 1) {
                throw new IllegalArgumentException("record " + STORAGE_ALIGNMENT + " holds '" + text + "', not a power of two up to 2^20");
            }
            alignment = Integer.parseInt(text);
        }
        boolean anyCrc = records.stream().anyMatch(r -> r.size() > 0 && r.crc32() != 0);
        return new TorchLayout(alignment, firstUse, anyCrc || records.stream().noneMatch(r -> r.size() > 0));
    }

    int alignment() {
        return alignment;
    }

    /** Whether the archive promises first-use storage order (torch 2.x's {@code .format_version} >= 1). */
    boolean promisesStorageOffsets() {
        return firstUseOrder;
    }

    /** False for archives saved with {@code compute_crc32 = False}: every record's CRC is 0. */
    boolean computesCrc() {
        return computesCrc;
    }

    /** The storage keys in the order torch.save writes their records, given the keys in first-use order. */
    List<String> writeOrder(List<String> firstUse) {
        List<String> order = new ArrayList<>(firstUse);
        if (!firstUseOrder) {
            order.sort(Comparator.naturalOrder());  // torch 1.x: sorted(serialized_storages.keys())
        }
        return order;
    }

    /** Bytes of padding (after the 4-byte {@code FB} field header) that align a record's data. */
    int padding(long headerOffset, int nameLength, long size) {
        long start = headerOffset + LOCAL_HEADER + nameLength + 4 + zip64ExtraLength(headerOffset, size);
        return (int) ((alignment - start % alignment) % alignment);
    }

    /** Where a record's data starts, for a local header at {@code headerOffset} (torch's {@code getRecordOffsetNoRead}). */
    long dataOffset(long headerOffset, int nameLength, long size) {
        return headerOffset + LOCAL_HEADER + nameLength + zip64ExtraLength(headerOffset, size) + 4 + padding(headerOffset, nameLength, size);
    }

    /** The zip64 extra field miniz puts into the local header of a big record, or 0. */
    static int zip64ExtraLength(long headerOffset, long size) {
        if (size < MAX32 && headerOffset < MAX32) {
            return 0;
        }
        return 4 + (size >= MAX32 ? 16 : 0) + (headerOffset >= MAX32 ? 8 : 0);
    }

    /** The data descriptor after a record: none when empty, 24 bytes for a zip64 record, else 16. */
    static int descriptorSize(long headerOffset, long size) {
        if (size == 0) {
            return 0;
        }
        return headerOffset >= MAX32 || size >= MAX32 ? 24 : 16;
    }

    /** Where a record torch wrote ends: after its data and the descriptor that follows it. */
    static long recordEnd(ArchiveRecord record) {
        return record.dataOffset() + record.size() + descriptorSize(record.headerOffset(), record.size());
    }

    /**
     * Bytes before the central directory that no record covers (header, data and the descriptor
     * torch writes after it): 0 for a file torch wrote, the old pickle for one a
     * {@link RewriteMode#CLONE_UNCHANGED} write left behind.
     */
    static long deadBytes(List<ArchiveRecord> records, long directoryOffset) {
        List<ArchiveRecord> physical = records.stream().sorted(Comparator.comparingLong(ArchiveRecord::headerOffset)).toList();
        long live = 0;
        long covered = 0;  // records may overlap in a forged file: count each byte once
        for (ArchiveRecord record : physical) {
            long start = Math.max(record.headerOffset(), covered);
            long end = Math.min(directoryOffset, recordEnd(record));
            if (end > start) {
                live += end - start;
                covered = end;
            }
        }
        return Math.max(0, directoryOffset - live);
    }

    private static int compareBytes(byte[] a, byte[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }
}
