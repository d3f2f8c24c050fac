package dev.ckpt.engine.scenarios;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** {@code ckpt["baz"] = "baz"}. */
@MigrationInfo(version = "0.8.1")
public class M1750859824_add_baz extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("baz", "baz");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.root().remove("baz");
    }
}
