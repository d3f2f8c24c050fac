package com.example.model.migrations;

import dev.ckpt.migration.Checkpoint;
import dev.ckpt.migration.Migration;
import dev.ckpt.migration.MigrationInfo;
import dev.ckpt.migration.Reversible;

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
