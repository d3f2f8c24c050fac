package dev.ckpt.engine;

import java.util.Locale;

/**
 * What apply does with a checkpoint that has no migration records at all (one saved by training
 * code that does not stamp them):
 * <ul>
 *   <li>{@link #REFERENCE} (default): the reference's rule, the checkpoint is older than every
 *       migration: all of them run, or it is refused as too old once a final migration exists;</li>
 *   <li>{@link #FAIL}: refused, naming {@code register} and the training callback;</li>
 *   <li>{@link #baseline(String) baseline:NAME}: taken as saved by code that had every migration up to
 *       and including NAME (stamped so, as {@code register -Dbaseline=NAME} would), then brought up to date.</li>
 * </ul>
 *
 * @param baseline the migration a baseline policy stamps up to, or null
 */
public record RecordlessPolicy(Kind kind, String baseline) {
    public enum Kind { REFERENCE, FAIL, BASELINE }

    public static final RecordlessPolicy REFERENCE = new RecordlessPolicy(Kind.REFERENCE, null);
    public static final RecordlessPolicy FAIL = new RecordlessPolicy(Kind.FAIL, null);

    public RecordlessPolicy {
        if ((kind == Kind.BASELINE) != (baseline != null)) {
            throw new IllegalArgumentException("a baseline policy, and only it, names a migration");
        }
    }

    public static RecordlessPolicy baseline(String migration) {
        return new RecordlessPolicy(Kind.BASELINE, MigrationName.parse(migration).toString());
    }

    /** {@code reference}, {@code fail} or {@code baseline:<migration name>}, as the plugin's parameter takes it. */
    public static RecordlessPolicy parse(String text) {
        String value = text.trim();
        if (value.toLowerCase(Locale.ROOT).startsWith("baseline:")) {
            return baseline(value.substring("baseline:".length()).trim());
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "reference" -> REFERENCE;
            case "fail" -> FAIL;
            default -> throw new IllegalArgumentException("unknown policy for checkpoints without records: '" + text
                    + "' (use reference, fail or baseline:<migration name>)");
        };
    }

    @Override
    public String toString() {
        return kind == Kind.BASELINE ? "baseline:" + baseline : kind.name().toLowerCase(Locale.ROOT);
    }
}
