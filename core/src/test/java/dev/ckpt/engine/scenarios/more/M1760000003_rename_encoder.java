package dev.ckpt.engine.scenarios.more;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The submodule {@code encoder} of the model became {@code backbone}. */
@MigrationInfo(version = "0.8.5")
public class M1760000003_rename_encoder extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("encoder.", "backbone.");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("backbone.", "encoder.");
    }
}
