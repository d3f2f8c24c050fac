package dev.ckpt.report;

/**
 * One entry of a checkpoint's migration history: {@code migrate} or {@code rollback} (or whatever
 * another tool wrote) and the migration's name.
 */
public record HistoryStep(String type, String name) {
    /** Splits an inspection's {@code "<type> <name>"} line; a line without a space is a name of unknown type. */
    static HistoryStep parse(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? new HistoryStep("?", line) : new HistoryStep(line.substring(0, space), line.substring(space + 1));
    }

    /** True for the two types ckpt writes; the timeline marks any other. */
    public boolean isMigrate() {
        return type.equals("migrate");
    }

    public boolean isRollback() {
        return type.equals("rollback");
    }
}
