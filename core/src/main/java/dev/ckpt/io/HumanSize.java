package dev.ckpt.io;

import java.util.Locale;

/** Byte counts as people read them. */
public final class HumanSize {
    private static final String[] UNITS = {"kB", "MB", "GB", "TB"};

    private HumanSize() {
    }

    /** {@code 12.3 MB}, {@code 850 B}: decimal units, as Maven prints transfers. */
    public static String of(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        // 999.96 MB would print as "1000.0 MB": the next unit instead
        while (value >= 999.95 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
