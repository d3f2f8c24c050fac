package dev.ckpt.engine.scenarios.bad;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Abstract. */
@MigrationInfo(version = "1.0.0")
public abstract class M1780000002_abstract_one extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }
}
