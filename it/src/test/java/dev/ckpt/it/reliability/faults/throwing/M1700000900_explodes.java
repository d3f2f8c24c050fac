package dev.ckpt.it.reliability.faults.throwing;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Changes the tree, then throws half way. */
@MigrationInfo(version = "2.0.0")
public class M1700000900_explodes extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.stateDict().renamePrefix("encoder.layers.", "encoder.blocks.");
        throw new IllegalStateException("boom: the new layer names clash");
    }
}
