package dev.ckpt.report;

/** Where a checkpoint stands against the code's migrations, as the report's status column shows it. */
public enum CheckpointStatus {
    /** Every migration of the code has run, and nothing else. */
    UP_TO_DATE("up to date"),
    /** Migrations of the code have not run on it yet (or are to be stamped as a baseline). */
    PENDING("pending"),
    /** It has records of migrations the code no longer has. */
    EXTRA("extra"),
    /** The code cannot migrate it: too old, or another application's. */
    INCOMPATIBLE("incompatible"),
    /** It could not be read. */
    FAILED("failed");

    private final String label;

    CheckpointStatus(String label) {
        this.label = label;
    }

    /** The word the report shows, also its {@code data-status} attribute. */
    public String label() {
        return label;
    }

    /** The CSS class of the status: the label without spaces. */
    public String cssClass() {
        return label.replace(' ', '-');
    }
}
