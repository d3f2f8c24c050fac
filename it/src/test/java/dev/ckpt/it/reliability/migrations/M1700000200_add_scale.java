package dev.ckpt.it.reliability.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;
import dev.ckpt.api.Tensor;
import dev.ckpt.torch.DType;

/** Adds a new parameter, so every migrated file has a storage record written from memory as well as copied ones. */
@MigrationInfo(version = "2.0.0")
public class M1700000200_add_scale extends Migration implements Reversible {
    static final int SIZE = 256;

    @Override
    public void migrate(Checkpoint checkpoint) {
        checkpoint.stateDict().write("encoder.scale", Tensor.ones(DType.FLOAT32, SIZE));
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.stateDict().remove("encoder.scale");
    }
}
