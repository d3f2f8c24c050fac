package dev.ckpt.migration.scenarios;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;
import dev.ckpt.migration.Reversible;

/** {@code ckpt["bar"] = "bar"}. */
@MigrationInfo(version = "0.8.1")
public class M1750841219_add_bar extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("bar", "bar");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.root().remove("bar");
    }
}
