package dev.ckpt.engine;

import java.nio.file.Path;

/** A migration or rollback threw, or left the checkpoint unusable; the checkpoint on disk is unchanged. */
public class MigrationFailedException extends RuntimeException {
    private final String migration;

    public MigrationFailedException(Path file, String migration, String what, Throwable cause) {
        this(file + ": " + what + " " + migration + " failed: " + cause + " (the checkpoint was not changed)", migration, cause);
    }

    private MigrationFailedException(String message, String migration, Throwable cause) {
        super(message, cause);
        this.migration = migration;
    }

    /** The migration (or rollback) ran without an exception but left {@code problem} behind. */
    static MigrationFailedException leftBroken(Path file, String migration, String what, String problem, Throwable cause) {
        return new MigrationFailedException(file + ": " + what + " " + migration + " " + problem
                + " (the checkpoint was not changed)", migration, cause);
    }

    public String migration() {
        return migration;
    }
}
