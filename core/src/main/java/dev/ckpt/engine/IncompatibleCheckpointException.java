package dev.ckpt.engine;

import java.nio.file.Path;

/** The checkpoint cannot be brought to this code base (too old, another lineage, or a blocked plan). */
public class IncompatibleCheckpointException extends RuntimeException {
    public IncompatibleCheckpointException(Path file, String message) {
        super(file + ": " + message);
    }
}
