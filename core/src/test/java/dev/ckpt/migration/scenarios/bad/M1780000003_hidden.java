package dev.ckpt.migration.scenarios.bad;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;

/** Not public. */
@MigrationInfo(version = "1.0.0")
class M1780000003_hidden extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
