package dev.ckpt.it.stamped;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationContext;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** Reversible and with a setup: its record carries an embedded rollback and a setup_context. */
@MigrationInfo(version = "1.1.0")
public class M1700000300_rename_head extends Migration implements Reversible {
    @Override
    public void migrateSetup(MigrationContext context) {
        context.moveModule("demo.heads_v1", "demo.heads");
    }

    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("head.", "classifier.");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("classifier.", "head.");
    }
}
