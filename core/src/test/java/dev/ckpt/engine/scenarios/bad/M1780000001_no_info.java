package dev.ckpt.engine.scenarios.bad;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** No @MigrationInfo. */
public class M1780000001_no_info extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
