package dev.ckpt.migration.scenarios.bad;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.FinalMigration;
import dev.ckpt.migration.MigrationInfo;
import dev.ckpt.migration.Reversible;

/** A final migration cannot be rolled back, so it may not claim a rollback. */
@MigrationInfo(version = "1.0.0")
public class M1780000005_final_reversible extends FinalMigration implements Reversible {
    @Override
    public void rollback(Checkpoint checkpoint) {
    }
}
