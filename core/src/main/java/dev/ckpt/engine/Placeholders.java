package dev.ckpt.engine;

import dev.ckpt.api.Node;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the placeholders for deleted classes left in a tree, with where each one is, named as
 * {@code show} names paths ({@code state_dict["model.head"].coupon}, {@code [2]}, {@code (state)},
 * keys quoted by {@link Node#quote}). A place is a link to its parent's place, spelled out only for
 * a placeholder found: a path string built for every node would cost the square of the depth on a
 * deeply nested tree.
 */
final class Placeholders {
    private static final Place ROOT = new Place(null, "");

    /** A place in the tree: {@code step} written after its parent's text (null at the root). */
    private record Place(Place parent, String step) {
        String spelled() {
            List<String> steps = new ArrayList<>();
            for (Place p = this; p.parent != null; p = p.parent) {
                steps.add(p.step);
            }
            Collections.reverse(steps);
            return steps.isEmpty() ? "(root)" : String.join("", steps);
        }

        Place key(Object key) {
            String quoted = Node.quote(String.valueOf(key));
            return new Place(this, parent == null || quoted.startsWith("[") ? quoted : "." + quoted);
        }

        Place index(int index) {
            return new Place(this, "[" + index + "]");
        }

        /** A part of the value here that has no key ({@code (class)}, {@code (state)}, {@code (a key)}). */
        Place part(String what) {
            return new Place(this, " (" + what + ")");
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
        pending.push(new Pending(root, ROOT));
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
                pending.push(new Pending(k, place.part("a key")));
                pending.push(new Pending(v, place.key(k)));
            });
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {  // a set's items numbered in its order, as show numbers them
                pending.push(new Pending(item, place.index(i++)));
            }
        } else if (value instanceof PyObject object) {
            pending.push(new Pending(object.callable(), place.part("class")));
            pending.push(new Pending(object.args(), place.part("args")));
            pending.push(new Pending(object.kwargs(), place.part("kwargs")));
            pending.push(new Pending(object.state(), place.part("state")));
            pending.push(new Pending(object.listItems(), place));
            pending.push(new Pending(object.dictItems(), place));
        }
    }
}
