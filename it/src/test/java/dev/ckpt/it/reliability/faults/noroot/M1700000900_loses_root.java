package dev.ckpt.it.reliability.faults.noroot;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** The Java form of a Python migration that returns None instead of the checkpoint. */
@MigrationInfo(version = "2.0.0")
public class M1700000900_loses_root extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.setRoot(null);
    }
}
