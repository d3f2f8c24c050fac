package dev.ckpt.engine.scenarios.bad;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** No constructor without parameters. */
@MigrationInfo(version = "1.0.0")
public class M1780000004_needs_args extends Migration {
    private final String what;

    public M1780000004_needs_args(String what) {
        this.what = what;
    }

    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("what", what);
    }
}
