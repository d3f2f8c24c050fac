package dev.ckpt.recipes;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Parameters;
import dev.ckpt.api.Reversible;
import dev.ckpt.api.StateDict;
import dev.ckpt.api.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The fused {@code attn.qkv} projection is now three: {@code attn.q}, {@code attn.k}, {@code attn.v}. */
@MigrationInfo(version = "2.0.0")
public class M1767225700_split_qkv extends Migration implements Reversible {
    private static final String FUSED = "attn.qkv.";
    private static final List<String> PARTS = List.of("attn.q.", "attn.k.", "attn.v.");
    private static final List<String> KINDS = List.of("weight", "bias");

    @Override
    public void migrate(Checkpoint checkpoint) throws Exception {
        Parameters params = checkpoint.parameters();   // the state dict with Adam's state
        StateDict stateDict = checkpoint.stateDict();
        String previous = FUSED + "bias";
        for (int i = 0; i < PARTS.size(); i++) {
            for (String kind : KINDS) {
                String fused = FUSED + kind;
                String part = PARTS.get(i) + kind;
                params.insert(part, stateDict.read(fused).chunk(3, 0).get(i), previous);
                for (String key : params.stateKeys(fused)) {   // step, exp_avg, exp_avg_sq
                    Tensor state = params.readState(fused, key);
                    params.writeState(part, key, state.dim() == 0 ? state : state.chunk(3, 0).get(i));
                }
                previous = part;
            }
        }
        for (String kind : KINDS) {
            params.remove(FUSED + kind);
        }
    }

    @Override
    public void rollback(Checkpoint checkpoint) throws Exception {
        Parameters params = checkpoint.parameters();
        StateDict stateDict = checkpoint.stateDict();
        String previous = PARTS.get(2) + "bias";
        for (String kind : KINDS) {
            String fused = FUSED + kind;
            List<Tensor> parts = new ArrayList<>();
            for (String part : PARTS) {
                parts.add(stateDict.read(part + kind));
            }
            params.insert(fused, Tensor.cat(parts, 0), previous);
            for (String key : params.stateKeys(PARTS.get(0) + kind)) {
                List<Tensor> states = new ArrayList<>();
                for (String part : PARTS) {
                    states.add(params.readState(part + kind, key));
                }
                params.writeState(fused, key, states.get(0).dim() == 0 ? states.get(0) : Tensor.cat(states, 0));
            }
            previous = fused;
        }
        for (String part : PARTS) {
            for (String kind : KINDS) {
                params.remove(part + kind);
            }
        }
    }
}
