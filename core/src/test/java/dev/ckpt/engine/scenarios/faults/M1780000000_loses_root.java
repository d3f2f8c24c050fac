package dev.ckpt.engine.scenarios.faults;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** The Java form of a Python migration that forgets to return the checkpoint: the root becomes None. */
@MigrationInfo(version = "0.9.0")
public class M1780000000_loses_root extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.setRoot(null);
    }
}
