package dev.ckpt.it;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.torch.TensorView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Navigation in a checkpoint's value tree, the way checks.py walks torch.load's result: through
 * dicts, OrderedDicts, lists and tuples; tensors are leaves. Paths are lists of dict keys
 * (String, Long) and list indexes.
 */
final class Trees {
    private Trees() {
    }

    static List<Object> path(Object... segments) {
        return Arrays.stream(segments).map(s -> s instanceof Integer i ? (Object) i.longValue() : s).toList();
    }

    /** The entries of a dict or of an OrderedDict (a state_dict), modifiable in place. */
    @SuppressWarnings("unchecked")
    static Map<Object, Object> dict(Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<Object, Object>) map;
        }
        if (isOrderedDict(value)) {
            return ((PyObject) value).dictItemsForUpdate();
        }
        throw new IllegalArgumentException("not a dict: " + value);
    }

    static Object get(Object root, List<Object> path) {
        Object value = root;
        for (Object segment : path) {
            value = value instanceof List<?> list ? list.get(((Long) segment).intValue()) : dict(value).get(segment);
            if (value == null) {
                throw new IllegalArgumentException("nothing at " + path);
            }
        }
        return value;
    }

    static TensorView tensor(Object root, Object... path) {
        return TensorView.of(get(root, path(path)));
    }

    /** Every tensor reachable through dicts, OrderedDicts, lists and tuples, by path. */
    static Map<List<Object>, TensorView> tensors(Object root) {
        Map<List<Object>, TensorView> out = new LinkedHashMap<>();
        walk(root, new ArrayList<>(), out);
        return out;
    }

    private static void walk(Object value, List<Object> path, Map<List<Object>, TensorView> out) {
        if (TensorView.isTensor(value)) {
            out.put(List.copyOf(path), TensorView.of(value));
        } else if (value instanceof Map<?, ?> || isOrderedDict(value)) {
            for (Map.Entry<Object, Object> entry : dict(value).entrySet()) {
                path.add(entry.getKey());
                walk(entry.getValue(), path, out);
                path.remove(path.size() - 1);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                path.add((long) i);
                walk(list.get(i), path, out);
                path.remove(path.size() - 1);
            }
        }
    }

    private static boolean isOrderedDict(Object value) {
        return value instanceof PyObject object && object.construction() == PyObject.Construction.REDUCE
                && object.callable() instanceof PyGlobal cls && cls.is("collections", "OrderedDict");
    }
}
