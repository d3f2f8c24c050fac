package dev.ckpt.recipes;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.StateDict;
import dev.ckpt.torch.DType;

/** The model now trains in bfloat16: every float32 tensor of the state dict is cast (buffers too). */
@MigrationInfo(version = "2.0.0")
public class M1767225900_cast_to_bfloat16 extends Migration {
    @Override
    public void migrate(Checkpoint checkpoint) throws Exception {
        StateDict stateDict = checkpoint.stateDict();
        for (String key : stateDict.keys()) {
            if (stateDict.view(key).dtype() == DType.FLOAT32) {
                // round to nearest even, as torch's .to(torch.bfloat16) does
                stateDict.write(key, stateDict.read(key).to(DType.BFLOAT16));
            }
        }
    }
}
