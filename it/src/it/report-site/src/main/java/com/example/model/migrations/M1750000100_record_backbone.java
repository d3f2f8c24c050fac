package com.example.model.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;

/** The hyper-parameters name the backbone (new in the version being built). */
@MigrationInfo(version = MigrationInfo.NEXT_VERSION)
public class M1750000100_record_backbone extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.node("hyper_parameters").asMap().put("backbone", "transformer");
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.node("hyper_parameters").asMap().remove("backbone");
    }
}
