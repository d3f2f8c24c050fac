package dev.ckpt.inspect;

import dev.ckpt.inspect.CheckpointContents.GlobalUse;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyPersistentId;
import dev.ckpt.torch.GlobalSafety;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The globals a file names, each with the number of places in its tree that refer to it (an
 * object built by it, a value, an argument: {@code torch._utils._rebuild_tensor_v2} once per
 * tensor) and its {@link GlobalSafety} class. A global the pickle named but the reader turned
 * into a plain value ({@code _codecs.encode} for bytes) counts 0.
 */
final class GlobalCounter {
    private GlobalCounter() {
    }

    static List<GlobalUse> count(Object tree, Collection<String> named) {
        Map<String, Integer> counts = new TreeMap<>();
        named.forEach(name -> counts.put(name, 0));
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object> pending = new ArrayDeque<>();
        pending.push(tree);
        while (!pending.isEmpty()) {
            Object value = pending.pop();
            if (value instanceof PyGlobal global) {
                counts.merge(global.path(), 1, Integer::sum);
            } else if (isContainer(value) && seen.put(value, Boolean.TRUE) == null) {
                children(value, pending);
            }
        }
        List<GlobalUse> uses = new ArrayList<>();
        counts.forEach((name, references) -> uses.add(new GlobalUse(name, references, GlobalSafety.of(name))));
        return List.copyOf(uses);
    }

    private static boolean isContainer(Object value) {
        return value instanceof PyObject || value instanceof Map || value instanceof Collection || value instanceof PyPersistentId;
    }

    private static void children(Object value, Deque<Object> pending) {
        if (value instanceof PyObject object) {
            push(pending, object.callable(), object.args(), object.kwargs(), object.state(), object.stateSetter(),
                    object.listItems(), object.dictItems());
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, child) -> push(pending, key, child));
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> push(pending, item));
        } else if (value instanceof PyPersistentId id) {
            push(pending, id.id());
        }
    }

    private static void push(Deque<Object> pending, Object... values) {
        for (Object value : values) {
            if (value != null) {
                pending.push(value);
            }
        }
    }
}
