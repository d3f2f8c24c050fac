package dev.ckpt.torch;

import dev.ckpt.io.SameOffsetCopy;
import java.util.List;

/**
 * What a {@link TorchCheckpoint#write} did.
 *
 * @param size        bytes of the new file
 * @param clonedBytes bytes taken over from the source at equal offsets (0 for a full rewrite)
 * @param copyMethod  how they went across, or null when none were
 * @param deadBytes   bytes of the new file no record covers
 * @param records     the records written, as the new file's directory lists them
 */
public record RewriteSummary(long size, long clonedBytes, SameOffsetCopy.Method copyMethod, long deadBytes, List<ArchiveRecord> records) {
    /** The bytes written anew: what the migration cost on disk. */
    public long writtenBytes() {
        return size - clonedBytes;
    }
}
