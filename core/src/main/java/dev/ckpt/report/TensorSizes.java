package dev.ckpt.report;

import dev.ckpt.inspect.StateDictModule;
import dev.ckpt.pickle.DictLike;
import dev.ckpt.torch.TensorView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor bytes of a state dict per module: a key's module is its {@link StateDictModule}, the
 * key without its last dotted segment cut to its first {@code depth} segments ({@code model.encoder.layers.3.weight} is
 * {@code model.encoder} at depth 2). Each tensor counts its own elements, so two names of one tied
 * weight count twice.
 */
public final class TensorSizes {
    /** What a key without a dot after its first character (a tensor at the top of the state dict) is counted under. */
    public static final String TOP_LEVEL = "(top level)";

    private TensorSizes() {
    }

    /**
     * Per module, largest first (ties by name): the state dict of a Lightning checkpoint
     * ({@code root["state_dict"]}), or the root itself when it is one (a {@code torch.save(model.state_dict())} file).
     */
    public static List<ModuleSize> perModule(Object root, int depth) {
        Map<String, Long> bytes = new LinkedHashMap<>();
        stateDict(root).forEach((key, value) -> {
            if (key instanceof String name && TensorView.isTensor(value)) {
                TensorView tensor = TensorView.of(value);
                bytes.merge(moduleOf(name, depth), tensor.numel() * tensor.dtype().elementSize(), Long::sum);
            }
        });
        List<ModuleSize> sizes = new ArrayList<>();
        bytes.forEach((module, count) -> sizes.add(new ModuleSize(module, count)));
        sizes.sort((a, b) -> a.bytes() != b.bytes() ? Long.compare(b.bytes(), a.bytes()) : a.module().compareTo(b.module()));
        return sizes;
    }

    static String moduleOf(String key, int depth) {
        String module = StateDictModule.of(key, depth);
        return module != null ? module : TOP_LEVEL;
    }

    private static Map<Object, Object> stateDict(Object root) {
        Map<Object, Object> entries = DictLike.entriesOrNull(root);
        if (entries == null) {
            return Map.of();
        }
        Map<Object, Object> nested = DictLike.entriesOrNull(entries.get("state_dict"));
        return nested != null ? nested : entries;
    }
}
