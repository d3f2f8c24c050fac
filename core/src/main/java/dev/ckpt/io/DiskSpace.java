package dev.ckpt.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns "the file system is full" into an error that says so, before writing when it can. The JDK
 * only says "No space left on device" (ENOSPC) or "Disk quota exceeded" (EDQUOT) in an exception's
 * message, so that is what is recognised.
 */
final class DiskSpace {
    private static final String NEW_FILE = "to write the new file next to it";
    private static final String INODES = "; with bytes free, it is probably out of inodes";

    private DiskSpace() {
    }

    /** Fails early when the target's file system has less free space than the new file needs. */
    static void require(Path target, long bytes) throws IOException {
        if (bytes <= 0) {
            return;
        }
        long free = freeSpace(target);
        if (free < bytes) {
            throw new NoSpaceException(target, NEW_FILE, bytes, free, "");
        }
    }

    /** The error for a failed write of about {@code bytes} (0: unknown) next to {@code target}. */
    static IOException explainWrite(Path target, long bytes, IOException e) {
        if (!isNoSpace(e)) {
            return e;
        }
        long free = freeSpace(target);
        boolean inodes = bytes > 0 && free > bytes;
        return new NoSpaceException(target, NEW_FILE, bytes, free, inodes ? INODES : "").withCause(e);
    }

    /** The error for a file next to {@code target} that could not be created ({@code what}: e.g. "to create the lock file"). */
    static IOException explainCreate(Path target, String what, IOException e) {
        if (!isNoSpace(e)) {
            return e;
        }
        long free = freeSpace(target);
        // Creating a file takes an inode and hardly any bytes.
        return new NoSpaceException(target, what, 0, free, free > 0 ? INODES : "").withCause(e);
    }

    private static boolean isNoSpace(IOException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("No space left on device") || message.contains("Disk quota exceeded");
    }

    private static long freeSpace(Path target) {
        try {
            return Files.getFileStore(target.getParent()).getUsableSpace();
        } catch (IOException unknown) {
            return -1;
        }
    }

    /** What is to be written next to the original does not fit. */
    static final class NoSpaceException extends IOException {
        NoSpaceException(Path target, String what, long needed, long free, String hint) {
            super(target + ": no space left on the file system of " + target.getParent() + " " + what
                    + (needed > 0 ? " (needs about " + megabytes(needed) + ", " : " (")
                    + (free >= 0 ? megabytes(free) + " free)" : "free space unknown)")
                    + hint + "; the original is unchanged");
        }

        NoSpaceException withCause(IOException cause) {
            initCause(cause);
            return this;
        }

        private static String megabytes(long bytes) {
            return String.format("%.1f MB", bytes / 1e6);
        }
    }
}
