package dev.ckpt.migration;

import java.nio.file.Path;

/** A migration or rollback threw; the checkpoint on disk is unchanged. */
public class MigrationFailedException extends RuntimeException {
    private final String migration;

    public MigrationFailedException(Path file, String migration, String what, Throwable cause) {
        super(file + ": " + what + " " + migration + " failed: " + cause + " (the checkpoint was not changed)", cause);
        this.migration = migration;
    }

    public String migration() {
        return migration;
    }
}
