package dev.ckpt.inspect;

import dev.ckpt.io.HumanSize;
import dev.ckpt.api.OmegaConfView;
import dev.ckpt.inspect.CheckpointContents.ArrayEntry;
import dev.ckpt.inspect.CheckpointContents.ConfigEntry;
import dev.ckpt.inspect.CheckpointContents.ModuleTotal;
import dev.ckpt.inspect.CheckpointContents.TensorEntry;
import dev.ckpt.inspect.CheckpointContents.ValueEntry;
import dev.ckpt.pickle.DictLike;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.pickle.ValuePrinter;
import dev.ckpt.torch.NumpyArrayView;
import dev.ckpt.torch.NumpyDType;
import dev.ckpt.torch.TensorView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a value tree once, without recursion, in the tree's order: tensors, configs and numpy
 * arrays at any depth, the other values down to the options' depth. A tensor reached under two
 * names (tied weights) is listed under both, as {@code state_dict()} lists it; any other value
 * reached twice is shown once and then as {@code the same object as PATH}. The first
 * {@value #LISTED_TENSORS} tensors are listed; all of them are totalled.
 */
final class TreeWalk {
    /** A value to visit; {@code group} is what its tensors are totalled under. */
    private record Frame(Object value, ReadablePath path, int depth, ModuleTotals.Group group) {
    }

    static final int LISTED_TENSORS = 10_000;

    private final ShowOptions options;
    private final ModuleTotals totals = new ModuleTotals();
    private int unlistedTensors;
    private final List<TensorEntry> tensors = new ArrayList<>();
    private final List<ConfigEntry> configs = new ArrayList<>();
    private final List<ArrayEntry> arrays = new ArrayList<>();
    private final List<ValueEntry> values = new ArrayList<>();
    private final Map<Object, ReadablePath> seen = new IdentityHashMap<>();
    private final Deque<Frame> pending = new ArrayDeque<>();

    private TreeWalk(ShowOptions options) {
        this.options = options;
    }

    static TreeWalk of(Object root, ShowOptions options) {
        TreeWalk walk = new TreeWalk(options);
        walk.pending.push(new Frame(root, ReadablePath.root(), 0, ModuleTotals.Group.ROOT));
        while (!walk.pending.isEmpty()) {
            walk.visit(walk.pending.pop());
        }
        return walk;
    }

    List<TensorEntry> tensors() {
        return List.copyOf(tensors);
    }

    List<ModuleTotal> totals() {
        return totals.list();
    }

    int unlistedTensors() {
        return unlistedTensors;
    }

    List<ConfigEntry> configs() {
        return List.copyOf(configs);
    }

    List<ArrayEntry> arrays() {
        return List.copyOf(arrays);
    }

    List<ValueEntry> values() {
        return List.copyOf(values);
    }

    private void visit(Frame frame) {
        Object value = frame.value();
        if (TensorView.isTensor(value)) {
            tensor(frame, TensorView.of(value));
            return;
        }
        if (!isScalar(value)) {
            ReadablePath first = seen.putIfAbsent(value, frame.path());
            if (first != null) {
                if (isShown(frame)) {
                    show(frame, "the same object as " + first);
                }
                return;
            }
        }
        if (OmegaConfView.isConfig(value)) {
            OmegaConfView config = OmegaConfView.of(value);
            String type = config.isDict() ? "DictConfig" : "ListConfig";
            if (options.filter().matches(frame.path())) {
                configs.add(new ConfigEntry(frame.path(), type, config.toPlain()));
            }
            show(frame, type + " (see Configs)");
        } else if (NumpyArrayView.isArray(value)) {
            NumpyArrayView array = NumpyArrayView.of(value);
            String dtype = numpyName(array.dtype());
            if (options.filter().matches(frame.path())) {
                arrays.add(new ArrayEntry(frame.path(), dtype, boxed(array.shape())));
            }
            show(frame, "numpy.ndarray " + dtype + " " + boxed(array.shape()));
        } else if (value instanceof Map<?, ?> map) {
            show(frame, "dict, " + count(map.size(), "entry", "entries"));
            children(frame, map, null, null);
        } else if (value instanceof PyObject object) {
            object(frame, object);
        } else if (value instanceof List<?> list) {
            show(frame, (value instanceof PyTuple ? "tuple, " : "list, ") + count(list.size(), "item", "items"));
            children(frame, null, list, null);
        } else if (value instanceof Collection<?> set) {
            show(frame, "set, " + count(set.size(), "item", "items"));
            children(frame, null, new ArrayList<>(set), null);
        } else if (value instanceof PyGlobal global) {
            show(frame, "the class or function " + global.path());
        } else if (value instanceof byte[] bytes) {
            show(frame, "bytes, " + HumanSize.of(bytes.length));
        } else {
            show(frame, ValuePrinter.inline(value));
        }
    }

    private void object(Frame frame, PyObject object) {
        Map<Object, Object> entries = DictLike.entriesOrNull(object);
        Map<Object, Object> attributes = object.attributes();
        PyGlobal type = object.pythonClass();
        String name = type != null ? type.path() : ValuePrinter.inline(object.callable());
        if (entries != null) {
            show(frame, name + ", " + count(entries.size(), "entry", "entries"));
        } else if (object.hasState() || object.args().isEmpty()) {
            show(frame, name);
        } else {
            show(frame, name + ValuePrinter.inline(object.args()));
        }
        Object otherState = attributes == null ? object.state() : null;
        children(frame, entries, object.listItems(), attributes);
        if (otherState != null) {
            pending.push(new Frame(otherState, frame.path().part("state"), frame.depth() + 1, frame.group()));
        }
    }

    /** Pushes entries, then items, then attributes, so that they are visited in that order. */
    private void children(Frame frame, Map<?, ?> entries, List<?> items, Map<?, ?> attributes) {
        List<Frame> children = new ArrayList<>();
        if (entries != null) {
            entries.forEach((key, child) -> children.add(child(frame, frame.path().key(key), child, key)));
        }
        if (items != null) {
            for (int i = 0; i < items.size(); i++) {
                children.add(child(frame, frame.path().index(i), items.get(i), null));
            }
        }
        if (attributes != null) {
            attributes.forEach((key, child) -> children.add(child(frame, frame.path().key(key), child, null)));
        }
        for (int i = children.size() - 1; i >= 0; i--) {
            pending.push(children.get(i));
        }
    }

    private static Frame child(Frame parent, ReadablePath path, Object value, Object key) {
        return new Frame(value, path, parent.depth() + 1, ModuleTotals.group(parent.path(), parent.depth(), parent.group(), path, key));
    }

    private void tensor(Frame frame, TensorView tensor) {
        if (!options.filter().matches(frame.path())) {
            return;
        }
        long[] shape = tensor.shape();
        TensorEntry entry = new TensorEntry(frame.path(), tensor.dtype().pythonName(), boxed(shape),
                tensor.numel() * tensor.dtype().elementSize(), tensor.isParameter(), frame.group().in(), frame.group().module());
        totals.add(entry);
        if (tensors.size() < LISTED_TENSORS) {
            tensors.add(entry);
        } else {
            unlistedTensors++;
        }
    }

    private void show(Frame frame, String text) {
        if (isShown(frame)) {
            values.add(new ValueEntry(frame.path(), frame.depth(), text));
        }
    }

    private boolean isShown(Frame frame) {
        return frame.depth() <= options.depth() && options.filter().matches(frame.path());  // in this order: a deep path is long
    }

    private static boolean isScalar(Object value) {
        return value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof PyGlobal || value instanceof PyTuple tuple && tuple.isEmpty();
    }

    private static String numpyName(NumpyDType dtype) {
        return "" + dtype.byteOrder() + dtype.kind() + dtype.itemSize();
    }

    private static List<Long> boxed(long[] shape) {
        List<Long> list = new ArrayList<>(shape.length);
        for (long size : shape) {
            list.add(size);
        }
        return List.copyOf(list);
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
