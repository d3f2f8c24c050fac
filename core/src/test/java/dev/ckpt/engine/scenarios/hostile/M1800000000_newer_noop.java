package dev.ckpt.engine.scenarios.hostile;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** A newer code base's migration whose embedded rollback does nothing: its record's setup_context does the harm. */
@MigrationInfo(version = "2.0.0")
public class M1800000000_newer_noop extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
    }
}
