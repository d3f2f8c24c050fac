package dev.ckpt.migration.scenarios.more;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;

/** Fails as a migration whose dependency is missing at run time does: with an Error, not an Exception. */
@MigrationInfo(version = "0.8.5")
public class M1760000004_missing_class extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("half", "done");
        throw new NoClassDefFoundError("com/example/Gone");
    }
}
