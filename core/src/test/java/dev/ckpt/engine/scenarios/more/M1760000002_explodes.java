package dev.ckpt.engine.scenarios.more;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Changes the tree, then throws. */
@MigrationInfo(version = "0.8.5")
public class M1760000002_explodes extends Migration {
    public static final String MESSAGE = "boom: this migration fails on purpose";

    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("half", "done");
        throw new IllegalStateException(MESSAGE);
    }
}
