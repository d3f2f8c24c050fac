package dev.ckpt.diff;

import dev.ckpt.api.OmegaConfView;
import dev.ckpt.pickle.DictLike;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PythonTypes;
import dev.ckpt.pickle.ValuePrinter;
import dev.ckpt.torch.TensorView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Walks two value trees side by side: state dicts go to {@link StateDictComparison}, OmegaConf
 * configs are compared as their plain content (keys moved anywhere inside a config are found),
 * dicts by key (a key renamed within its dict is found), lists by position, objects by class
 * (old classes mapped through the detected moves) and attributes, the rest by value.
 */
final class TreeComparison {
    private static final int SHOWN = 60;
    /** How deep the walk goes: a hostile file can nest values far deeper than any model does. */
    static final int MAX_DEPTH = 500;

    private final TensorDigests oldDigests;
    private final TensorDigests newDigests;
    private final ClassMoves classes;
    private final List<Difference> differences = new ArrayList<>();
    private final List<String> undecided = new ArrayList<>();
    /** The pairs of containers already compared: shared or self-containing values are compared once. */
    private final Map<Object, Map<Object, Boolean>> visited = new IdentityHashMap<>();
    private int depth;
    /** How many objects' attributes, args or state the walk is inside: a migration cannot edit those as dicts. */
    private int insideObjects;

    TreeComparison(TensorDigests oldDigests, TensorDigests newDigests, ClassMoves classes) {
        this.oldDigests = oldDigests;
        this.newDigests = newDigests;
        this.classes = classes;
    }

    List<Difference> differences() {
        return differences;
    }

    List<String> undecided() {
        return undecided;
    }

    void compare(Object a, Object b, String path) {
        if (isContainer(a) && isContainer(b) && !firstMeeting(a, b)) {
            return;   // shared: compared where first met
        }
        if (depth >= MAX_DEPTH) {
            undecided.add(tooDeep(path));
            return;
        }
        depth++;
        try {
            compareValues(a, b, path);
        } finally {
            depth--;
        }
    }

    private boolean firstMeeting(Object a, Object b) {
        return visited.computeIfAbsent(a, key -> new IdentityHashMap<>()).put(b, Boolean.TRUE) == null;
    }

    private void compareValues(Object a, Object b, String path) {
        if (TensorView.isTensor(a) && TensorView.isTensor(b)) {
            tensor(TensorView.of(a), TensorView.of(b), path);
        } else if (OmegaConfView.isConfig(a) && OmegaConfView.isConfig(b)) {
            config(path, a, b);
        } else if (DictLike.entriesOrNull(a) != null && DictLike.entriesOrNull(b) != null) {
            sameClass(a, b, path);
            Map<Object, Object> before = DictLike.entriesOrNull(a);
            Map<Object, Object> after = DictLike.entriesOrNull(b);
            boolean stateDicts = StateDictComparison.isStateDict(before) && StateDictComparison.isStateDict(after);
            if (stateDicts) {
                StateDictComparison tensors = new StateDictComparison(path, before, after, oldDigests, newDigests, differences, undecided);
                tensors.compare();
                dict(tensors.renamedExtraStates(before), StateDictComparison.extraStates(after), path);
            } else {
                dict(Bookkeeping.visible(path, before), Bookkeeping.visible(path, after), path);
            }
            attributes(a, b, path, stateDicts);
        } else if (a instanceof PyObject x && b instanceof PyObject y) {
            object(x, y, path);
        } else if (a instanceof List<?> x && b instanceof List<?> y && x.getClass() == y.getClass() && x.size() == y.size()) {
            for (int i = 0; i < x.size(); i++) {
                compare(x.get(i), y.get(i), TreePaths.child(path, i));
            }
        } else if (!scalarEqual(a, b)) {
            changed(scope(), "", path, a, b);
        }
    }

    private void attributes(Object a, Object b, String path, boolean stateDicts) {
        // A state dict's _metadata (torch's version number per module) follows the module names: not a difference of its own.
        if (!stateDicts && a instanceof PyObject x && b instanceof PyObject y && (x.attributes() != null || y.attributes() != null)) {
            insideObject(() -> dict(orEmpty(x.attributes()), orEmpty(y.attributes()), path));
        }
    }

    private void insideObject(Runnable comparison) {
        insideObjects++;
        try {
            comparison.run();
        } finally {
            insideObjects--;
        }
    }

    private Difference.Scope scope() {
        return insideObjects > 0 ? Difference.Scope.OBJECT : Difference.Scope.TREE;
    }

    private static boolean isContainer(Object value) {
        return value instanceof PyObject || value instanceof Map || value instanceof List;
    }

    private static String tooDeep(String path) {
        return "too deep at " + (path.isEmpty() ? "(root)" : path) + ", compared no further";
    }

    private void tensor(TensorView a, TensorView b, String path) {
        if (!TensorDigests.sameLayout(a, b)) {
            differences.add(new Difference(Difference.Kind.TENSOR_CHANGED, Difference.Scope.TREE, "", path, null,
                    TensorDigests.layout(a), TensorDigests.layout(b), null, 0, null));
        } else if (!oldDigests.digest(a.value(), path).equals(newDigests.digest(b.value(), path))) {
            differences.add(new Difference(Difference.Kind.TENSOR_VALUES, Difference.Scope.TREE, "", path, null,
                    TensorDigests.layout(a), null, null, 0, null));
        }
    }

    private void dict(Map<Object, Object> before, Map<Object, Object> after, String path) {
        List<KeyMatching.Entry> lost = new ArrayList<>();
        for (Map.Entry<Object, Object> entry : before.entrySet()) {
            if (after.containsKey(entry.getKey())) {
                compare(entry.getValue(), after.get(entry.getKey()), TreePaths.child(path, entry.getKey()));
            } else {
                lost.add(new KeyMatching.Entry(TreePaths.child(path, entry.getKey()), entry.getKey(), entry.getValue()));
            }
        }
        List<KeyMatching.Entry> gained = after.entrySet().stream().filter(e -> !before.containsKey(e.getKey()))
                .map(e -> new KeyMatching.Entry(TreePaths.child(path, e.getKey()), e.getKey(), e.getValue())).toList();
        KeyMatching matching = new KeyMatching(lost, gained);
        record(matching, scope(), path, entry -> TreePaths.step(entry.key()));
    }

    /** Both configs' plain content, keys matched across the whole config. */
    private void config(String at, Object a, Object b) {
        Object before;
        Object after;
        try {
            before = OmegaConfView.of(a).toPlain();
            after = OmegaConfView.of(b).toPlain();
        } catch (IllegalArgumentException e) {
            undecided.add("config at " + (at.isEmpty() ? "(root)" : at) + " compared no further: " + e.getMessage());
            return;
        }
        List<KeyMatching.Entry> lost = new ArrayList<>();
        List<KeyMatching.Entry> gained = new ArrayList<>();
        configNode(at, "", before, after, lost, gained);
        record(new KeyMatching(lost, gained), Difference.Scope.CONFIG, at, KeyMatching.Entry::path);
    }

    private void configNode(String at, String path, Object a, Object b, List<KeyMatching.Entry> lost, List<KeyMatching.Entry> gained) {
        String full = path.isEmpty() ? at : at + "." + path;
        if (depth >= MAX_DEPTH) {
            undecided.add(tooDeep(full));
            return;
        }
        depth++;
        try {
            configValues(at, path, full, a, b, lost, gained);
        } finally {
            depth--;
        }
    }

    @SuppressWarnings("unchecked")
    private void configValues(String at, String path, String full, Object a, Object b, List<KeyMatching.Entry> lost,
            List<KeyMatching.Entry> gained) {
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            Map<Object, Object> before = Bookkeeping.visible(full, (Map<Object, Object>) x);
            Map<Object, Object> after = Bookkeeping.visible(full, (Map<Object, Object>) y);
            before.forEach((key, value) -> {
                String child = TreePaths.configChild(path, key);
                if (after.containsKey(key)) {
                    configNode(at, child, value, after.get(key), lost, gained);
                } else {
                    lost.add(new KeyMatching.Entry(child, key, value));
                }
            });
            after.forEach((key, value) -> {
                if (!before.containsKey(key)) {
                    gained.add(new KeyMatching.Entry(TreePaths.configChild(path, key), key, value));
                }
            });
        } else if (a instanceof List<?> x && b instanceof List<?> y && x.size() == y.size()) {
            for (int i = 0; i < x.size(); i++) {
                configNode(at, TreePaths.configIndex(path, i), x.get(i), y.get(i), lost, gained);
            }
        } else if (!scalarEqual(a, b)) {
            changed(Difference.Scope.CONFIG, at, path, a, b);
        }
    }

    private void record(KeyMatching matching, Difference.Scope scope, String at, Function<KeyMatching.Entry, String> name) {
        for (KeyMatching.Move move : matching.moves) {
            differences.add(new Difference(Difference.Kind.KEY_MOVED, scope, at, name.apply(move.from()), name.apply(move.to()),
                    shown(move.from().value()), null, move.evidence(), 0, null));
        }
        for (KeyMatching.Entry entry : matching.removed) {
            differences.add(new Difference(Difference.Kind.KEY_REMOVED, scope, at, name.apply(entry), null,
                    shown(entry.value()), null, null, 0, literal(entry.value())));
        }
        for (KeyMatching.Entry entry : matching.added) {
            differences.add(new Difference(Difference.Kind.KEY_ADDED, scope, at, name.apply(entry), null,
                    null, shown(entry.value()), null, 0, literal(entry.value())));
        }
        undecided.addAll(matching.ambiguous);
    }

    private void object(PyObject a, PyObject b, String path) {
        if (!sameClass(a, b, path)) {
            return;
        }
        if (a.attributes() != null && b.attributes() != null) {
            insideObject(() -> dict(a.attributes(), b.attributes(), path));
            return;
        }
        insideObject(() -> {
            compare(a.args(), b.args(), path + "(args)");
            compare(a.hasState() ? a.state() : null, b.hasState() ? b.state() : null, path + "(state)");
        });
    }

    /** False (and reported) when the objects' classes differ once the old class is mapped through the moves. */
    private boolean sameClass(Object a, Object b, String path) {
        if (!(a instanceof PyObject x) || !(b instanceof PyObject y) || x.pythonClass() == null || y.pythonClass() == null) {
            return true;
        }
        if (classes.map(x.pythonClass()).equals(y.pythonClass().path())) {
            return true;
        }
        differences.add(new Difference(Difference.Kind.VALUE_CHANGED, scope(), "", path, null,
                "a " + x.pythonClass().path(), "a " + y.pythonClass().path(), null, 0, null));
        return false;
    }

    private boolean scalarEqual(Object a, Object b) {
        if (a instanceof PyGlobal x && b instanceof PyGlobal y) {
            return classes.map(x).equals(y.path());
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (isContainer(a) || isContainer(b)) {
            return false;   // containers of the same kind were compared by their entries: these differ in kind, class or size
        }
        return Objects.equals(a, b) && (a == null || a.getClass() == b.getClass());
    }

    private void changed(Difference.Scope scope, String at, String path, Object a, Object b) {
        differences.add(new Difference(Difference.Kind.VALUE_CHANGED, scope, at, path, null, shown(a), shown(b), null, 0, null));
    }

    private static String shown(Object value) {
        String text = value instanceof PyObject || value instanceof Map || value instanceof List
                ? ValuePrinter.inline(value) : value instanceof String s ? "'" + s + "'" : ValuePrinter.inline(value);
        if (text.length() > SHOWN) {
            text = text.substring(0, SHOWN) + "... (" + PythonTypes.name(value) + ")";
        }
        return text;
    }

    private static Difference.Literal literal(Object value) {
        return JavaLiterals.writable(value) ? new Difference.Literal(value) : null;
    }

    private static Map<Object, Object> orEmpty(Map<Object, Object> map) {
        return map == null ? Map.of() : map;
    }
}
