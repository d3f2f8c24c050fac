package dev.ckpt.engine.scenarios.hostile;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Changes nothing: a migration for the code base that meets a hostile file. */
@MigrationInfo(version = "1.0.0")
public class M1700000302_noop extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("seen", Boolean.TRUE);
    }
}
