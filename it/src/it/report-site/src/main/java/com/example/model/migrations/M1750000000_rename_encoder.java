package com.example.model.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The encoder became the backbone (released in 1.0.0). */
@MigrationInfo(version = "1.0.0")
public class M1750000000_rename_encoder extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("model.encoder.", "model.backbone.");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("model.backbone.", "model.encoder.");
    }
}
