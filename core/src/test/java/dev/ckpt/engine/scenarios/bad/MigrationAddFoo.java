package dev.ckpt.engine.scenarios.bad;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Extends Migration but is not named M<unix-seconds>_<snake_case>. */
@MigrationInfo(version = "1.0.0")
public class MigrationAddFoo extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
