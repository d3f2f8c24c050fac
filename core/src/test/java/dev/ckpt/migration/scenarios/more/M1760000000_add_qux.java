package dev.ckpt.migration.scenarios.more;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;
import dev.ckpt.migration.Reversible;

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
