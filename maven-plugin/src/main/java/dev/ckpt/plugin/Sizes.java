package dev.ckpt.plugin;

import dev.ckpt.io.HumanSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** File sizes as people read them. */
final class Sizes {
    private Sizes() {
    }

    /** {@code 12.3 MB}, {@code 850 B}: decimal units, as Maven prints transfers. */
    static String human(long bytes) {
        return HumanSize.of(bytes);
    }

    /** The size of a file, or "?" when it cannot be read. */
    static String onDisk(Path file) {
        try {
            return human(Files.size(file));
        } catch (IOException e) {
            return "?";
        }
    }
}
