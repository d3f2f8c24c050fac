package dev.ckpt.it.reliability.migrations;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;
import dev.ckpt.torch.DType;
import dev.ckpt.torch.TorchCheckpoint;
import java.util.Arrays;

/** Adds a new parameter, so every migrated file has a storage record written from memory as well as copied ones. */
@MigrationInfo(version = "2.0.0")
public class M1700000200_add_scale extends Migration implements Reversible {
    static final int SIZE = 256;

    @Override
    public void migrate(Checkpoint checkpoint) {
        float[] ones = new float[SIZE];
        Arrays.fill(ones, 1f);
        checkpoint.stateDict().put("encoder.scale",
                checkpoint.newTensor(DType.FLOAT32, new long[] {SIZE}, TorchCheckpoint.fromFloats(ones)).value());
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        checkpoint.stateDict().remove("encoder.scale");
    }
}
