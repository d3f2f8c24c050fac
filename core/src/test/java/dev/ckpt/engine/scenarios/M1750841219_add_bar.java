package dev.ckpt.engine.scenarios;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

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
