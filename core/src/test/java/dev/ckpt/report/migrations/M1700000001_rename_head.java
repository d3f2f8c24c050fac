package dev.ckpt.report.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The report tests' first migration. */
@MigrationInfo(version = "1.0.0")
public class M1700000001_rename_head extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("model.head.", "model.classifier.");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("model.classifier.", "model.head.");
    }
}
