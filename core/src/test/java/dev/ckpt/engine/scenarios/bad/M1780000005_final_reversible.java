package dev.ckpt.engine.scenarios.bad;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.FinalMigration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** A final migration cannot be rolled back, so it may not claim a rollback. */
@MigrationInfo(version = "1.0.0")
public class M1780000005_final_reversible extends FinalMigration implements Reversible {
    @Override
    public void rollback(Checkpoint checkpoint) {
    }
}
