package dev.ckpt.engine.scenarios.more;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;

/** Fails as a migration whose dependency is missing at run time does: with an Error, not an Exception. */
@MigrationInfo(version = "0.8.5")
public class M1760000004_missing_class extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("half", "done");
        throw new NoClassDefFoundError("com/example/Gone");
    }
}
