package dev.ckpt.engine.scenarios.more;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** A migration that a later code base no longer has: only the checkpoint's record can undo it. */
@MigrationInfo(version = "0.8.5")
public class M1760000000_add_qux extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("qux", "qux");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.root().remove("qux");
    }
}
