package dev.ckpt.engine.scenarios.bad;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** A timestamp, but the name after it is not snake_case. */
@MigrationInfo(version = "1.0.0")
public class M1780000000_AddFoo extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
