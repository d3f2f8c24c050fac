package dev.ckpt.engine.scenarios;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The reference's migration after the final one: {@code ckpt["after"] = "after"}. */
@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1751895203_recent extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("after", "after");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.root().remove("after");
    }
}
