package dev.ckpt.report.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** A migration a newer code base had and the reported one no longer has: it leaves an extra record. */
@MigrationInfo(version = "1.2.0")
public class M1700000003_dropped extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("dropped", Boolean.TRUE);
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.root().remove("dropped");
    }
}
