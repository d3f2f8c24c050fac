package dev.ckpt.engine.scenarios.more;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** A migration without a rollback (it does not implement Reversible). */
@MigrationInfo(version = "0.8.5")
public class M1760000001_keep_forever extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("kept", Boolean.TRUE);
    }
}
