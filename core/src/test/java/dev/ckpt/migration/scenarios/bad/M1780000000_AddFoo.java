package dev.ckpt.migration.scenarios.bad;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;

/** A timestamp, but the name after it is not snake_case. */
@MigrationInfo(version = "1.0.0")
public class M1780000000_AddFoo extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
