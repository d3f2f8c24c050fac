package dev.ckpt.torch;

/**
 * One record of a torch.save zip archive, as its central directory describes it.
 *
 * @param name         full record name, e.g. {@code archive/data/0}
 * @param headerOffset where its local header starts
 * @param dataOffset   where its bytes start
 * @param size         its size (records are stored uncompressed)
 * @param crc32        the CRC-32 the directory declares
 * @param hasCrc       false for bytes that come with no CRC (the pre-1.6 format's storages)
 */
public record ArchiveRecord(String name, long headerOffset, long dataOffset, long size, int crc32, boolean hasCrc) {
    /** Bytes at a place in a file that no CRC protects. */
    static ArchiveRecord unchecked(String name, long dataOffset, long size) {
        return new ArchiveRecord(name, -1, dataOffset, size, 0, false);
    }
}
