package dev.ckpt.migration.scenarios.bad;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;

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
