package dev.ckpt.testing;

import dev.ckpt.inspect.ReadablePath;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two checkpoints' trees the way a round trip must hold: same shape, same values in the
 * same order, same sharing, and tensors equal by dtype, shape and element bytes (wherever the
 * bytes are stored). Walks without recursion; returns the first difference at its
 * {@link ReadablePath} ({@code state_dict["model.head.bias"]}, {@code hyper_parameters.model.hidden},
 * {@code (root)} for the root).
 */
final class TreeEquality {
    private record Pair(Object a, Object b, ReadablePath path) {
    }

    private final TorchCheckpoint left;
    private final TorchCheckpoint right;

    TreeEquality(TorchCheckpoint left, TorchCheckpoint right) {
        this.left = left;
        this.right = right;
    }

    /** Null when equal, else where and how they differ. */
    String difference(Object a, Object b) {
        Map<Object, Object> matched = new IdentityHashMap<>();
        ArrayDeque<Pair> pending = new ArrayDeque<>();
        pending.push(new Pair(a, b, ReadablePath.root()));
        while (!pending.isEmpty()) {
            Pair pair = pending.pop();
            String why = compare(pair, matched, pending);
            if (why != null) {
                return pair.path() + ": " + why;
            }
        }
        return null;
    }

    private String compare(Pair pair, Map<Object, Object> matched, ArrayDeque<Pair> pending) {
        Object a = pair.a();
        Object b = pair.b();
        if (a == null || b == null || isScalar(a)) {
            return Objects.equals(a, b) || a instanceof Double x && b instanceof Double y && x.equals(y) ? null : a + " != " + b;
        }
        if (a.getClass() != b.getClass()) {
            return "a " + a.getClass().getSimpleName() + " against a " + b.getClass().getSimpleName();
        }
        Object seen = matched.get(a);
        if (seen != null) {
            return seen == b ? null : "shared differently";
        }
        matched.put(a, b);
        if (TensorView.isTensor(a) && TensorView.isTensor(b)) {
            return compareTensors(TensorView.of(a), TensorView.of(b));
        }
        if (a instanceof Map<?, ?> ma) {
            Map<?, ?> mb = (Map<?, ?>) b;
            if (!new ArrayList<>(ma.keySet()).equals(new ArrayList<>(mb.keySet()))) {
                return "keys " + ma.keySet() + " != " + mb.keySet();
            }
            ma.forEach((k, v) -> pending.push(new Pair(v, mb.get(k), pair.path().key(k))));
            return null;
        }
        if (a instanceof List<?> la) {
            List<?> lb = (List<?>) b;
            if (la.size() != lb.size()) {
                return "length " + la.size() + " != " + lb.size();
            }
            for (int i = 0; i < la.size(); i++) {
                pending.push(new Pair(la.get(i), lb.get(i), pair.path().index(i)));
            }
            return null;
        }
        if (a instanceof PyObject oa) {
            PyObject ob = (PyObject) b;
            if (oa.construction() != ob.construction()) {
                return "built by " + oa.construction() + " against " + ob.construction();
            }
            pending.push(new Pair(oa.callable(), ob.callable(), pair.path().part("class")));
            pending.push(new Pair(oa.args(), ob.args(), pair.path().part("args")));
            pending.push(new Pair(oa.kwargs(), ob.kwargs(), pair.path().part("kwargs")));
            pushState(pair.path(), oa, ob, pending);
            pending.push(new Pair(oa.listItems(), ob.listItems(), pair.path()));
            pending.push(new Pair(oa.dictItems(), ob.dictItems(), pair.path()));
            return null;
        }
        if (a instanceof Iterable<?> ia) {
            Iterator<?> ib = ((Iterable<?>) b).iterator();
            int i = 0;
            for (Object item : ia) {
                if (!ib.hasNext()) {
                    return "fewer elements";
                }
                pending.push(new Pair(item, ib.next(), pair.path().index(i++)));
            }
            return ib.hasNext() ? "more elements" : null;
        }
        if (a instanceof byte[] ba) {
            return Arrays.equals(ba, (byte[]) b) ? null : "bytes differ";
        }
        return a.equals(b) ? null : a + " != " + b;
    }

    /**
     * An object's attributes are steps of its path; so are an OmegaConf node's keys: its
     * {@code _content} (a config's keys or items) and {@code _val} (a value node's value) are
     * compared as the node itself, as {@code hyper_parameters.config.model.hidden}.
     */
    private static void pushState(ReadablePath path, PyObject a, PyObject b, ArrayDeque<Pair> pending) {
        Map<Object, Object> attributes = a.attributes();
        if (attributes == null || b.attributes() == null || !(a.state() instanceof Map)) {
            pending.push(new Pair(a.state(), b.state(), path.part("state")));
            return;
        }
        Map<Object, Object> other = b.attributes();
        if (!new ArrayList<>(attributes.keySet()).equals(new ArrayList<>(other.keySet()))) {
            pending.push(new Pair(a.state(), b.state(), path.part("attributes")));
            return;
        }
        boolean omegaConf = a.pythonClass() != null && a.pythonClass().module().startsWith("omegaconf.");
        attributes.forEach((name, value) -> {
            boolean content = omegaConf && ("_content".equals(name) || "_val".equals(name));
            pending.push(new Pair(value, other.get(name), content ? path : path.key(name)));
        });
    }

    private String compareTensors(TensorView a, TensorView b) {
        if (a.dtype() != b.dtype() || !Arrays.equals(a.shape(), b.shape()) || a.requiresGrad() != b.requiresGrad()) {
            return a + " != " + b;
        }
        try {
            return Arrays.equals(left.readData(a), right.readData(b)) ? null : "tensor data differs";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof dev.ckpt.pickle.PyGlobal || value instanceof PyTuple && ((PyTuple) value).isEmpty();
    }
}
