package dev.ckpt.torch;

import java.nio.file.Path;

/** A checkpoint file that is not what it must be, naming the file and, where known, the record. */
public class CheckpointFormatException extends RuntimeException {
    private final Path file;
    private final String record;

    public CheckpointFormatException(Path file, String record, String message) {
        this(file, record, message, null);
    }

    public CheckpointFormatException(Path file, String record, String message, Throwable cause) {
        super(file + (record == null ? "" : " [" + record + "]") + ": " + message, cause);
        this.file = file;
        this.record = record;
    }

    /** A record whose bytes do not match the CRC-32 the archive declares for it. */
    static CheckpointFormatException crcMismatch(Path file, ArchiveRecord record, int actual) {
        return new CheckpointFormatException(file, record.name(), String.format(
                "CRC mismatch: the directory declares %08x, the bytes have %08x (the file is corrupt)", record.crc32(), actual));
    }

    public Path file() {
        return file;
    }

    /** The archive record at fault, or null when the whole file is. */
    public String record() {
        return record;
    }
}
