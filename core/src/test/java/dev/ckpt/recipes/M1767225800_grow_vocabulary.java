package dev.ckpt.recipes;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Parameters;
import dev.ckpt.api.Reversible;
import dev.ckpt.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The vocabulary has 4 new tokens: their embedding rows start at the mean of the others. */
@MigrationInfo(version = "2.0.0")
public class M1767225800_grow_vocabulary extends Migration implements Reversible {
    private static final String EMBEDDING = "embed.weight";
    private static final int NEW_TOKENS = 4;

    @Override
    public void migrate(Checkpoint checkpoint) throws Exception {
        Parameters params = checkpoint.parameters();
        Tensor weight = checkpoint.stateDict().read(EMBEDDING);
        List<Tensor> rows = new ArrayList<>(List.of(weight));
        for (int i = 0; i < NEW_TOKENS; i++) {
            rows.add(weight.mean(0, true));
        }
        checkpoint.stateDict().write(EMBEDDING, Tensor.cat(rows, 0));
        for (String key : params.stateKeys(EMBEDDING)) {   // Adam's moments grow with zeros
            Tensor state = params.readState(EMBEDDING, key);
            if (state.dim() > 0) {
                params.writeState(EMBEDDING, key, state.pad(0, 0, NEW_TOKENS, 0.0));
            }
        }
    }

    @Override
    public void rollback(Checkpoint checkpoint) throws Exception {
        Parameters params = checkpoint.parameters();
        Tensor weight = checkpoint.stateDict().read(EMBEDDING);
        checkpoint.stateDict().write(EMBEDDING, weight.narrow(0, 0, weight.size(0) - NEW_TOKENS));
        for (String key : params.stateKeys(EMBEDDING)) {
            Tensor state = params.readState(EMBEDDING, key);
            if (state.dim() > 0) {
                params.writeState(EMBEDDING, key, state.narrow(0, 0, state.size(0) - NEW_TOKENS));
            }
        }
    }
}
