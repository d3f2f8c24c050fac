package dev.ckpt.migration.scenarios.bad;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;

/** No @MigrationInfo. */
public class M1780000001_no_info extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
