package dev.ckpt.engine.scenarios.faults;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Puts a value no pickle can hold into the tree. */
@MigrationInfo(version = "0.9.0")
public class M1780000001_stores_java_object extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("lock", new Object());
    }
}
