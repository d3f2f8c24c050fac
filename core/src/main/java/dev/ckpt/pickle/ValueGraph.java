package dev.ckpt.pickle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Visits every non-null value reachable from a root once, shared and cyclic values included,
 * without recursion: container elements, dict keys and values, every part of a {@link PyObject}
 * and the id of a {@link PyPersistentId}.
 */
public final class ValueGraph {
    private ValueGraph() {
    }

    public static void forEach(Object root, Consumer<Object> visitor) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Object> pending = new ArrayDeque<>();
        if (root != null) {
            pending.push(root);
        }
        while (!pending.isEmpty()) {
            Object value = pending.pop();
            if (seen.put(value, Boolean.TRUE) != null) {
                continue;
            }
            visitor.accept(value);
            for (Object child : children(value)) {
                if (child != null) {
                    pending.push(child);
                }
            }
        }
    }

    private static Collection<?> children(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<Object> all = new ArrayList<>(map.size() * 2);
            map.forEach((k, v) -> {
                all.add(k);
                all.add(v);
            });
            return all;
        }
        if (value instanceof Collection<?> collection) {
            return collection;
        }
        if (value instanceof PyObject object) {
            List<Object> parts = new ArrayList<>(7);
            parts.add(object.callable());
            parts.add(object.args());
            parts.add(object.kwargs());
            parts.add(object.stateSetter());
            parts.add(object.state());
            parts.add(object.listItems());
            parts.add(object.dictItems());
            return parts;
        }
        if (value instanceof PyPersistentId pid) {
            return java.util.Collections.singletonList(pid.id());
        }
        return List.of();
    }
}
