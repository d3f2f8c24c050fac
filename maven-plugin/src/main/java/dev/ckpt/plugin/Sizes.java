package dev.ckpt.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** File sizes as people read them. */
final class Sizes {
    private Sizes() {
    }

    /** {@code 12.3 MB}, {@code 850 B}: decimal units, as Maven prints transfers. */
    static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        // 999.96 MB would print as "1000.0 MB": the next unit instead
        while (value >= 999.95 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
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
