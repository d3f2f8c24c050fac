package dev.ckpt.torch;

/**
 * One record of a torch.save zip archive, as its central directory describes it.
 *
 * @param name         full record name, e.g. {@code archive/data/0}
 * @param headerOffset where its local header starts
 * @param dataOffset   where its bytes start
 * @param size         its size (records are stored uncompressed)
 * @param crc32        the CRC-32 the directory declares
 */
public record ArchiveRecord(String name, long headerOffset, long dataOffset, long size, int crc32) {
}
