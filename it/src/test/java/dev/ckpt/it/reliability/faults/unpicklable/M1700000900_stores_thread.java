package dev.ckpt.it.reliability.faults.unpicklable;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Stores a Java object no pickle can hold. */
@MigrationInfo(version = "2.0.0")
public class M1700000900_stores_thread extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("worker", Thread.currentThread());
    }
}
