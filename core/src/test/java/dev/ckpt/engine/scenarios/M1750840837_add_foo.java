package dev.ckpt.engine.scenarios;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The reference's first test migration: {@code ckpt["foo"] = "foo"}. */
@MigrationInfo(version = "0.8.0")
public class M1750840837_add_foo extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("foo", "foo");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.root().remove("foo");
    }
}
