package dev.ckpt.engine.scenarios.bad;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Not public. */
@MigrationInfo(version = "1.0.0")
class M1780000003_hidden extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
