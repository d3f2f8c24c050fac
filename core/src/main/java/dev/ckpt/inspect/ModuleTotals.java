package dev.ckpt.inspect;

import dev.ckpt.inspect.CheckpointContents.ModuleTotal;
import dev.ckpt.inspect.CheckpointContents.TensorEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups tensors by the module they belong to. A tensor under a key with dots (a state-dict key)
 * is totalled under the dict holding it and its {@link StateDictModule} (the first two dotted
 * segments of the key without its last one): {@code state_dict["model.encoder.0.weight"]} under {@code state_dict}, module
 * {@code model.encoder}; {@code ["encoder.weight"]} of a plain state dict under {@code (root)},
 * module {@code encoder}. Any other tensor is totalled under the first two steps of its path
 * ({@code optimizer_states[0]}, or {@code _modules.encoder} of a pickled module), module empty.
 */
final class ModuleTotals {
    private static final int PATH_STEPS = 2;

    /** Where a value's tensors are totalled. */
    record Group(String in, String module) {
        static final Group ROOT = new Group(ReadablePath.root().toString(), "");
    }

    private final Map<Group, long[]> totals = new LinkedHashMap<>();

    /** The group of a child reached from {@code parent} (at {@code parentDepth}) by {@code key} (null for an index). */
    static Group group(ReadablePath parent, int parentDepth, Group parentGroup, ReadablePath child, Object key) {
        String module = key instanceof String name && parentGroup.module().isEmpty() ? StateDictModule.of(name, StateDictModule.SEGMENTS) : null;
        if (module != null) {
            return new Group(parent.toString(), module);
        }
        return parentDepth + 1 <= PATH_STEPS ? new Group(child.toString(), "") : parentGroup;
    }

    /** Counts {@code tensor} in its group. */
    void add(TensorEntry tensor) {
        long[] total = totals.computeIfAbsent(new Group(tensor.in(), tensor.module()), g -> new long[2]);
        total[0]++;
        total[1] += tensor.bytes();
    }

    /** The totals, in the order their first tensor appears. */
    List<ModuleTotal> list() {
        List<ModuleTotal> list = new ArrayList<>();
        totals.forEach((group, total) -> list.add(new ModuleTotal(group.in(), group.module(), (int) total[0], total[1])));
        return List.copyOf(list);
    }
}
