package dev.ckpt.engine;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the placeholders for deleted classes left in a tree, with where each one is. A place is
 * a link to its parent's place, spelled out only for a placeholder found: a path string built
 * for every node would cost the square of the depth on a deeply nested tree.
 */
final class Placeholders {
    /** A place in the tree: {@code segment} under {@code parent} (null at the root). */
    private record Place(Place parent, String segment, boolean dotted) {
        String spelled() {
            List<Place> chain = new ArrayList<>();
            for (Place p = this; p != null && p.segment != null; p = p.parent) {
                chain.add(p);
            }
            StringBuilder out = new StringBuilder();
            for (int i = chain.size() - 1; i >= 0; i--) {
                Place p = chain.get(i);
                out.append(p.dotted && out.length() > 0 ? "." : "").append(p.segment);
            }
            return out.length() == 0 ? "<root>" : out.toString();
        }

        Place child(String segment) {
            return new Place(this, segment, false);
        }

        Place key(Object key) {
            return new Place(this, String.valueOf(key), true);
        }
    }

    private record Pending(Object value, Place place) {
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
        pending.push(new Pending(root, new Place(null, null, false)));
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            Object value = next.value();
            if (value == null || seen.put(value, Boolean.TRUE) != null) {
                continue;
            }
            if (value instanceof PyObject object && object.isPlaceholder()) {
                found.add(new Found(next.place().spelled(), object.pythonClass()));
                continue;
            }
            if (value instanceof PyGlobal global && global.isDeleted()) {
                found.add(new Found(next.place().spelled(), global));
                continue;
            }
            push(pending, value, next.place());
        }
        return found;
    }

    private static void push(ArrayDeque<Pending> pending, Object value, Place place) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                pending.push(new Pending(k, place.child("{key}")));
                pending.push(new Pending(v, place.key(k)));
            });
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                pending.push(new Pending(list.get(i), place.child("[" + i + "]")));
            }
        } else if (value instanceof Collection<?> collection) {
            collection.forEach(item -> pending.push(new Pending(item, place.child("{item}"))));
        } else if (value instanceof PyObject object) {
            pending.push(new Pending(object.callable(), place.child("<class>")));
            pending.push(new Pending(object.args(), place.child("<args>")));
            pending.push(new Pending(object.kwargs(), place.child("<kwargs>")));
            pending.push(new Pending(object.state(), place.child("<state>")));
            pending.push(new Pending(object.listItems(), place));
            pending.push(new Pending(object.dictItems(), place));
        }
    }
}
