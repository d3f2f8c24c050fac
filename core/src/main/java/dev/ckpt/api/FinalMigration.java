package dev.ckpt.api;

/**
 * A migration that ends support for older checkpoints: it starts a new compatibility group, and
 * checkpoints from before it can no longer be migrated past it (they are "too old"). It has no
 * migrate body and no setup, and it cannot be rolled back.
 */
public abstract class FinalMigration extends Migration {
    @Override
    public final void migrateSetup(MigrationContext context) {
    }

    @Override
    public final void migrate(Checkpoint checkpoint) {
    }
}
