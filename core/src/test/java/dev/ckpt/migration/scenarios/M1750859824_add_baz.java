package dev.ckpt.migration.scenarios;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;
import dev.ckpt.migration.Reversible;

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
