package dev.ckpt.io;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Another run held a checkpoint's lock for longer than the caller would wait. */
public class CheckpointLockedException extends IOException {
    /**
     * @param holder who holds it, as the holder wrote it in the lock file ({@code pid N on host since T});
     *               null when that is unknown or when it is a thread of this process
     */
    public CheckpointLockedException(Path checkpoint, Path lockFile, Duration waited, boolean thisProcess, String holder) {
        super(checkpoint + ": " + (thisProcess ? "another thread of this process" : "another process")
                + " is migrating this checkpoint (it holds the lock " + lockFile
                + (holder == null || holder.isBlank() ? "" : ": " + holder) + "); gave up after waiting "
                + waited.toSeconds() + " s. Run again when it has finished, or raise the lock timeout.");
    }
}
