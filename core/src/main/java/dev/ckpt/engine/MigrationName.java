package dev.ckpt.engine;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A migration's name, {@code <unix-seconds>_<snake_case>}, and its Java class name,
 * {@code M<name>}. Migrations are ordered by timestamp, then by name.
 */
public record MigrationName(long timestamp, String description) implements Comparable<MigrationName> {
    private static final Pattern NAME = Pattern.compile("(\\d{1,12})_([a-z0-9]+(?:_[a-z0-9]+)*)");

    /** Parses a recorded name such as {@code 1750840837_add_foo}. */
    public static MigrationName parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a migration name: expected <unix-seconds>_<snake_case>, e.g. 1750840837_rename_layer");
        }
        return new MigrationName(Long.parseLong(m.group(1)), m.group(2));
    }

    /** True when {@code name} is one a migration can have (other tools record names such as "dummy"). */
    public static boolean isValid(String name) {
        return NAME.matcher(name).matches();
    }

    /** The name of a migration class {@code M<name>} (simple or binary name). */
    public static MigrationName ofClassName(String className) {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        if (!simple.startsWith("M") || !NAME.matcher(simple.substring(1)).matches()) {
            throw new IllegalArgumentException("migration class " + simple + " must be named M<unix-seconds>_<snake_case>, e.g. M1750840837_rename_layer");
        }
        return parse(simple.substring(1));
    }

    /** Normalises what a user typed as the reference does: lower case, '-' and spaces to '_'. */
    public static String normalize(String raw) {
        String snake = raw.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s-]+", "_");
        if (!snake.matches("[a-z0-9]+(?:_[a-z0-9]+)*")) {
            throw new IllegalArgumentException("'" + raw + "' cannot be a migration name: use letters, digits, '_', '-' or spaces");
        }
        return snake;
    }

    @Override
    public String toString() {
        return timestamp + "_" + description;
    }

    public String className() {
        return "M" + this;
    }

    @Override
    public int compareTo(MigrationName other) {
        int byTime = Long.compare(timestamp, other.timestamp);
        return byTime != 0 ? byTime : description.compareTo(other.description);
    }
}
