package dev.ckpt.migration.scenarios.bad;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;

/** Extends Migration but is not named M<unix-seconds>_<snake_case>. */
@MigrationInfo(version = "1.0.0")
public class MigrationAddFoo extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
