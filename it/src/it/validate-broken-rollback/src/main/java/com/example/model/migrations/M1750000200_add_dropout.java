package com.example.model.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** Adds dropout; its rollback forgets to take it away again, which validate must catch. */
@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1750000200_add_dropout extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.node("hyper_parameters").asMap().put("dropout", 0.1);
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        // forgot: checkpoint.node("hyper_parameters").asMap().remove("dropout");
    }
}
