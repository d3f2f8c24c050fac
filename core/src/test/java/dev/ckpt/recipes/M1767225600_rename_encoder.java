package dev.ckpt.recipes;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The model's {@code encoder} module is now called {@code backbone}. */
@MigrationInfo(version = "2.0.0")
public class M1767225600_rename_encoder extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        // Every tensor under encoder. moves, in place; torch's _metadata follows.
        // Optimizer state is keyed by position, which a rename keeps.
        checkpoint.stateDict().renamePrefix("encoder.", "backbone.");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("backbone.", "encoder.");
    }
}
