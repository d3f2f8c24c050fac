package dev.ckpt.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns "the file system is full" into an error that says so, before writing when it can. */
final class DiskSpace {
    private DiskSpace() {
    }

    /** Fails early when the target's file system has less free space than the new file needs. */
    static void require(Path target, long bytes) throws IOException {
        if (bytes <= 0) {
            return;
        }
        long free = Files.getFileStore(target.getParent()).getUsableSpace();
        if (free < bytes) {
            throw new NoSpaceException(target, bytes, free, null);
        }
    }

    /**
     * The error to report for a failed write: the JDK only says "No space left on device" (ENOSPC)
     * or "Disk quota exceeded" (EDQUOT) in the message, so that is what is recognised.
     */
    static IOException explain(Path target, long bytes, IOException e) {
        String message = String.valueOf(e.getMessage());
        if (!message.contains("No space left on device") && !message.contains("Disk quota exceeded")) {
            return e;
        }
        long free;
        try {
            free = Files.getFileStore(target.getParent()).getUsableSpace();
        } catch (IOException unknown) {
            free = -1;
        }
        return new NoSpaceException(target, bytes, free, e);
    }

    /** The new content does not fit next to the original. */
    static final class NoSpaceException extends IOException {
        NoSpaceException(Path target, long needed, long free, IOException cause) {
            super(target + ": no space left on the file system of " + target.getParent() + " to write the new file next to it"
                    + (needed > 0 ? " (needs about " + megabytes(needed) + ", " : " (")
                    + (free >= 0 ? megabytes(free) + " free)" : "free space unknown)")
                    + "; the original is unchanged", cause);
        }

        private static String megabytes(long bytes) {
            return String.format("%.1f MB", bytes / 1e6);
        }
    }
}
