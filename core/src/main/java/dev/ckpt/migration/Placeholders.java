package dev.ckpt.migration;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Finds the placeholders for deleted classes left in a tree, with where each one is. */
final class Placeholders {
    private record Pending(Object value, String path) {
    }

    /** A placeholder at {@code location} for {@code reference}, the deleted class's original path. */
    record Found(String location, PyGlobal reference) {
        @Override
        public String toString() {
            return location + ": " + reference.path();
        }
    }

    private Placeholders() {
    }

    /** Every placeholder, e.g. at {@code state_dict.foo} for {@code shop.v1.Old}. */
    static List<Found> find(Object root) {
        List<Found> found = new ArrayList<>();
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending(root, ""));
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            Object value = next.value();
            if (value == null || seen.put(value, Boolean.TRUE) != null) {
                continue;
            }
            if (value instanceof PyObject object && object.isPlaceholder()) {
                found.add(new Found(label(next.path()), object.pythonClass()));
                continue;
            }
            if (value instanceof PyGlobal global && global.isDeleted()) {
                found.add(new Found(label(next.path()), global));
                continue;
            }
            push(pending, value, next.path());
        }
        return found;
    }

    private static void push(ArrayDeque<Pending> pending, Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                pending.push(new Pending(k, path + "{key}"));
                pending.push(new Pending(v, join(path, String.valueOf(k))));
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                pending.push(new Pending(list.get(i), path + "[" + i + "]"));
            }
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(item -> pending.push(new Pending(item, path + "{item}")));
        } else if (value instanceof PyObject object) {
            pending.push(new Pending(object.callable(), path + "<class>"));
            pending.push(new Pending(object.args(), path + "<args>"));
            pending.push(new Pending(object.kwargs(), path + "<kwargs>"));
            pending.push(new Pending(object.state(), path + "<state>"));
            pending.push(new Pending(object.listItems(), path));
            pending.push(new Pending(object.dictItems(), path));
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String label(String path) {
        return path.isEmpty() ? "<root>" : path;
    }
}
