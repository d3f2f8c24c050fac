package dev.ckpt.migration.scenarios.more;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;

/** A migration without a rollback (it does not implement Reversible). */
@MigrationInfo(version = "0.8.5")
public class M1760000001_keep_forever extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("kept", Boolean.TRUE);
    }
}
