package dev.ckpt.torch;

/** Told, as a checkpoint is written, how many bytes of the new archive are out so far. */
@FunctionalInterface
public interface WriteProgress {
    WriteProgress NONE = (written, total) -> { };

    /** {@code written} of about {@code total} bytes are written (called after every chunk, from the writing thread). */
    void written(long written, long total);
}
