package dev.ckpt.report.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The report tests' second migration. */
@MigrationInfo(version = "1.1.0")
public class M1700000002_mark extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.root().put("marked", Boolean.TRUE);
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.root().remove("marked");
    }
}
