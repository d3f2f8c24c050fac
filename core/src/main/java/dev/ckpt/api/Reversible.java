package dev.ckpt.api;

/**
 * A migration that can be undone. Only migrations that implement this interface are rolled
 * back; a generated skeleton does not implement it until its author writes the rollback.
 */
public interface Reversible {
    /** Turns a checkpoint made after this migration back into one that fits the code before it. */
    void rollback(Checkpoint checkpoint) throws Exception;

    /**
     * Runs before a checkpoint is read for the rollback. When a migration does not override it,
     * the engine uses the reverse of {@link Migration#migrateSetup} (moves reversed; deletions
     * are not undone).
     */
    default void rollbackSetup(MigrationContext context) {
    }
}
