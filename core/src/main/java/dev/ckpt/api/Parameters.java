package dev.ckpt.api;

import dev.ckpt.pickle.DictLike;
import dev.ckpt.torch.DType;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's parameters together with an optimizer's state. torch keys optimizer state by the
 * parameter's position ({@code state[3]}, {@code param_groups[g]["params"] = [0, 1, ...]}), so a
 * refactor that removes, adds or reorders parameters must move that state too, or
 * {@code optimizer.load_state_dict} pairs parameters with the wrong moments (or fails on the
 * count). Each edit here changes the state dict and the optimizer together and renumbers the
 * positions as torch would number the new model's parameters.
 *
 * <p>The positions follow the optimizer's param groups, in order. They are named by the
 * optimizer's {@code param_names} when torch saved them; else, for an optimizer with one group
 * ({@code model.parameters()}), by the state dict's order without its buffers (its floating-point
 * tensors, without BatchNorm's running statistics). Either way they are checked against the
 * optimizer: the count, and the shape of every moment tensor. When a model has other buffers,
 * frozen parameters, or several param groups, name the parameters in the optimizer's order
 * ({@link Checkpoint#parameters(String, String, List)}).
 */
public final class Parameters {
    private static final Set<String> BUFFERS = Set.of("running_mean", "running_var", "num_batches_tracked");

    /** One parameter: its name, its group, its optimizer state (null when the optimizer has none yet). */
    private static final class Slot {
        String name;
        final int group;
        Object state;

        Slot(String name, int group, Object state) {
            this.name = name;
            this.group = group;
            this.state = state;
        }
    }

    private final StateDict stateDict;
    private final Map<Object, Object> optimizerState;
    private final List<Map<Object, Object>> groups;
    private final List<Slot> slots;
    private final String where;
    private final TorchCheckpoint archive;

    private Parameters(StateDict stateDict, Map<Object, Object> optimizer, String where, List<String> names, TorchCheckpoint archive) {
        this.stateDict = stateDict;
        this.optimizerState = DictLike.entriesOrNull(optimizer.get("state"));
        this.groups = groupsOf(optimizer, where);
        this.where = where;
        this.archive = archive;
        this.slots = slots(names);
    }

    static Parameters named(StateDict stateDict, Map<Object, Object> optimizer, String where, List<String> names, TorchCheckpoint archive) {
        return new Parameters(stateDict, optimizer, where, names, archive);
    }

    static Parameters inferred(StateDict stateDict, Map<Object, Object> optimizer, String where, TorchCheckpoint archive) {
        List<Map<Object, Object>> groups = groupsOf(optimizer, where);
        List<String> saved = new ArrayList<>();
        for (Map<Object, Object> group : groups) {
            if (!(group.get("param_names") instanceof List<?> names)) {
                saved = null;
                break;
            }
            names.stream().map(String::valueOf).forEach(saved::add);
        }
        if (saved == null && groups.size() > 1) {
            throw new IllegalStateException("'" + where + "' has " + groups.size() + " param groups and no param_names: their"
                    + " order is not the state dict's, so name the parameters in the optimizer's order with"
                    + " parameters(stateDictPath, optimizerPath, names)");
        }
        List<String> names = saved != null ? saved : stateDict.keys().stream().filter(key -> isParameterLike(stateDict.get(key), key)).toList();
        return new Parameters(stateDict, optimizer, where, names, archive);
    }

    private static boolean isParameterLike(Object value, String key) {
        if (!TensorView.isTensor(value)) {
            return false;
        }
        DType dtype = TensorView.of(value).dtype();
        boolean floating = dtype == DType.FLOAT32 || dtype == DType.FLOAT64 || dtype == DType.FLOAT16 || dtype == DType.BFLOAT16;
        return floating && !BUFFERS.contains(key.substring(key.lastIndexOf('.') + 1));
    }

    private static List<Map<Object, Object>> groupsOf(Map<Object, Object> optimizer, String where) {
        if (!(optimizer.get("param_groups") instanceof List<?> list) || DictLike.entriesOrNull(optimizer.get("state")) == null) {
            throw new IllegalStateException("'" + where + "' is not an optimizer state dict (no \"state\" dict and"
                    + " \"param_groups\" list)");
        }
        List<Map<Object, Object>> groups = new ArrayList<>();
        for (Object group : list) {
            Map<Object, Object> map = DictLike.entriesOrNull(group);
            if (map == null || !(map.get("params") instanceof List)) {
                throw new IllegalStateException("'" + where + ".param_groups' holds a group without a \"params\" list");
            }
            groups.add(map);
        }
        return groups;
    }

    /** Pairs the names with the optimizer's positions, checking the count and every moment's shape. */
    private List<Slot> slots(List<String> names) {
        List<Slot> result = new ArrayList<>();
        int count = groups.stream().mapToInt(group -> ((List<?>) group.get("params")).size()).sum();
        if (count != names.size()) {
            throw new IllegalStateException("'" + where + "' holds " + count + " parameters but the state dict "
                    + names.size() + " (" + abbreviated(names) + "): if the model has buffers or frozen parameters,"
                    + " name its parameters in order with parameters(stateDictPath, optimizerPath, names)");
        }
        int i = 0;
        for (int g = 0; g < groups.size(); g++) {
            for (Object position : (List<?>) groups.get(g).get("params")) {
                result.add(checked(names.get(i), i, g, optimizerState.get(position)));
                i++;
            }
        }
        return result;
    }

    /** The slot of parameter {@code i}, once every moment tensor of its state has the parameter's shape. */
    private Slot checked(String name, int i, int group, Object stateValue) {
        if (!stateDict.contains(name)) {
            throw new IllegalArgumentException("parameter " + i + " is named '" + name + "', which the state dict does not have");
        }
        long[] shape = TensorView.of(stateDict.get(name)).shape();
        Map<Object, Object> state = DictLike.entriesOrNull(stateValue);
        if (state != null) {
            for (Map.Entry<Object, Object> moment : state.entrySet()) {
                if (TensorView.isTensor(moment.getValue())) {
                    long[] momentShape = TensorView.of(moment.getValue()).shape();
                    if (momentShape.length > 0 && !Arrays.equals(momentShape, shape)) {
                        throw new IllegalStateException("'" + where + ".state." + i + "." + moment.getKey() + "' has shape "
                                + Arrays.toString(momentShape) + " but parameter " + i + " ('" + name + "') has "
                                + Arrays.toString(shape) + ": the parameter order is not the state dict's; name it"
                                + " with parameters(stateDictPath, optimizerPath, names)");
                    }
                }
            }
        }
        return new Slot(name, group, stateValue);
    }

    private static String abbreviated(List<String> names) {
        return names.size() <= 6 ? String.join(", ", names) : String.join(", ", names.subList(0, 6)) + ", ...";
    }

    /** The parameters' names, in the optimizer's order. */
    public List<String> names() {
        return slots.stream().map(slot -> slot.name).toList();
    }

    /** Renames a parameter in the state dict, keeping its position and its optimizer state. */
    public void rename(String from, String to) {
        Slot slot = slot(from);
        stateDict.rename(from, to);
        slot.name = to;
        flush();
    }

    /** Removes a parameter and its optimizer state; the later parameters move up one position. */
    public void remove(String name) {
        Slot slot = slot(name);
        stateDict.remove(name);
        slots.remove(slot);
        flush();
    }

    /**
     * Adds a parameter right after {@code after} (in the state dict, in the optimizer's order and in
     * its group), without optimizer state: torch's optimizers create it at the next step.
     */
    public void insert(String name, Tensor value, String after) {
        if (stateDict.contains(name)) {
            throw new IllegalArgumentException("cannot add parameter '" + name + "': the state dict has it already");
        }
        Slot anchor = slot(after);
        slots.add(slots.indexOf(anchor) + 1, new Slot(name, anchor.group, null));
        stateDict.insertAfter(after, name, Tensors.value(archive, null, value));
        flush();
    }

    /**
     * Moves a parameter, with its optimizer state, to an index of {@link #names()} (counted over all
     * groups; it must stay in its own group); in the state dict it goes before the parameter now at
     * that index.
     */
    public void move(String name, int position) {
        Slot moved = slot(name);
        if (position < 0 || position >= slots.size()) {
            throw new IndexOutOfBoundsException("position " + position + " is outside 0.." + (slots.size() - 1));
        }
        Slot displaced = slots.get(position);
        if (displaced.group != moved.group) {
            throw new IllegalArgumentException("cannot move '" + name + "' to position " + position + ": that is another param group's");
        }
        if (displaced == moved) {
            return;
        }
        slots.remove(moved);
        slots.add(position, moved);
        Object value = stateDict.remove(name);
        if (position == slots.size() - 1) {
            stateDict.insertAfter(slots.get(position - 1).name, name, value);
        } else {
            stateDict.insertBefore(slots.get(position + 1).name, name, value);
        }
        flush();
    }

    /** The keys of a parameter's optimizer state ({@code step}, {@code exp_avg}, ...); empty when it has none. */
    public List<String> stateKeys(String name) {
        Map<Object, Object> state = DictLike.entriesOrNull(slot(name).state);
        return state == null ? List.of() : state.keySet().stream().map(String::valueOf).toList();
    }

    /** One entry of a parameter's optimizer state ({@code exp_avg}, {@code exp_avg_sq}, {@code momentum_buffer}), read from the file. */
    public Tensor readState(String name, String key) throws IOException {
        Object value = stateOf(slot(name)).get(key);
        if (!TensorView.isTensor(value)) {
            throw new IllegalStateException("the optimizer state of '" + name + "' has no tensor '" + key + "' (it has "
                    + stateOf(slot(name)).keySet() + ")");
        }
        return Tensors.read(archive, TensorView.of(value));
    }

    /**
     * Sets one entry of a parameter's optimizer state (e.g. the moments of a parameter split in
     * three), creating its state when it has none.
     */
    public void writeState(String name, String key, Tensor value) {
        Slot slot = slot(name);
        if (slot.state == null) {
            slot.state = new LinkedHashMap<>();
            flush();
        }
        Map<Object, Object> state = stateOf(slot);
        state.put(key, Tensors.value(archive, state.get(key), value));
    }

    private Map<Object, Object> stateOf(Slot slot) {
        Map<Object, Object> state = DictLike.entriesOrNull(slot.state);
        if (state == null) {
            throw new IllegalStateException("the optimizer has no state for '" + slot.name + "' (it has not stepped since it was added)");
        }
        return state;
    }

    private Slot slot(String name) {
        return slots.stream().filter(slot -> slot.name.equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "'" + name + "' is not a parameter the optimizer at '" + where + "' knows (it knows " + abbreviated(names()) + ")"));
    }

    /** Writes the positions back as torch numbers them: 0, 1, ... through the groups in order. */
    private void flush() {
        Map<Object, Object> state = new LinkedHashMap<>();
        List<List<Object>> params = new ArrayList<>();
        List<List<Object>> names = new ArrayList<>();
        groups.forEach(group -> {
            params.add(new ArrayList<>());
            names.add(new ArrayList<>());
        });
        long position = 0;
        for (int g = 0; g < groups.size(); g++) {
            for (Slot slot : slots) {
                if (slot.group == g) {
                    params.get(g).add(position);
                    names.get(g).add(slot.name);
                    if (slot.state != null) {
                        state.put(position, slot.state);
                    }
                    position++;
                }
            }
        }
        optimizerState.clear();
        optimizerState.putAll(state);
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).put("params", params.get(g));
            if (groups.get(g).containsKey("param_names")) {
                groups.get(g).put("param_names", names.get(g));
            }
        }
    }
}
