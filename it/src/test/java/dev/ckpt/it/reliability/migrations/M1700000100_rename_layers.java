package dev.ckpt.it.reliability.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The refactor the reliability tests migrate for: {@code encoder.layers.N} became {@code encoder.blocks.N}. */
@MigrationInfo(version = "2.0.0")
public class M1700000100_rename_layers extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("encoder.layers.", "encoder.blocks.");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("encoder.blocks.", "encoder.layers.");
    }
}
