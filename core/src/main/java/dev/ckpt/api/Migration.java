package dev.ckpt.api;

/**
 * One checkpoint migration. Write it as a class named {@code M<unix-seconds>_<snake_case_name>}
 * in the project's migrations package, annotated with {@link MigrationInfo}:
 *
 * <pre>{@code
 * @MigrationInfo(version = "%NEXT_VERSION%")
 * public class M1750840837_rename_layer extends Migration implements Reversible {
 *     public void migrate(Checkpoint ckpt) {
 *         ckpt.stateDict().renamePrefix("model.encoder.", "model.backbone.");
 *     }
 *     public void rollback(Checkpoint ckpt) {
 *         ckpt.stateDict().renamePrefix("model.backbone.", "model.encoder.");
 *     }
 * }
 * }</pre>
 *
 * A migration is reversible only if it implements {@link Reversible}; without it, checkpoints
 * cannot be rolled back past it, and the planner says so before doing anything. To stop
 * supporting older checkpoints, extend {@link FinalMigration} instead.
 */
public abstract class Migration {
    /**
     * Runs before the checkpoint is read: declare the Python modules and classes this migration
     * moves or deletes, so the old checkpoint can be read with the new names.
     */
    public void migrateSetup(MigrationContext context) {
    }

    /** Turns a checkpoint made before this migration into one that fits the code after it. */
    public abstract void migrate(Checkpoint checkpoint) throws Exception;
}
