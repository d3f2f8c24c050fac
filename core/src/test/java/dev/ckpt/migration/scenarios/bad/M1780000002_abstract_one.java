package dev.ckpt.migration.scenarios.bad;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;

/** Abstract. */
@MigrationInfo(version = "1.0.0")
public abstract class M1780000002_abstract_one extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
