package dev.ckpt.pickle;

/**
 * A reference through the {@code copyreg} extension registry (EXT1/EXT2/EXT4). The registry
 * lives in the Python process that reads the pickle, so the code is kept and written back as is.
 */
public record PyExtension(int code) {
    public PyExtension {
        if (code <= 0) {
            throw new IllegalArgumentException("extension codes are positive, got " + code);
        }
    }
}
