package dev.ckpt.io;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Another run held a checkpoint's lock for longer than the caller would wait. */
public class CheckpointLockedException extends IOException {
    public CheckpointLockedException(Path checkpoint, Path lockFile, Duration waited, String holder) {
        super(checkpoint + ": another process is migrating this checkpoint (it holds the lock " + lockFile
                + (holder == null || holder.isBlank() ? "" : ", " + holder) + "); gave up after waiting "
                + waited.toSeconds() + " s. Run again when it has finished, or raise the lock timeout.");
    }
}
