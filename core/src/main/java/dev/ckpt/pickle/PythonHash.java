package dev.ckpt.pickle;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Which values Python accepts as dict keys and set elements, and how deep immutable values nest. */
final class PythonHash {
    private PythonHash() {
    }

    static boolean isHashable(Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof Double
                || value instanceof Boolean || value instanceof BigInteger || value instanceof byte[]
                || value instanceof PyGlobal || value instanceof PyObject || value instanceof PyFrozenSet
                || value instanceof PyPersistentId || value instanceof PyExtension
                || value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof Float) {
            return true;
        }
        return value instanceof PyTuple tuple && tuple.isHashable();
    }

    static void requireHashable(Object value, String role) {
        if (!isHashable(value)) {
            throw new PickleException("unhashable type " + PythonTypes.name(value) + " used as " + role);
        }
    }

    /**
     * Python's == on tuples and frozensets, without recursion: nested pairs wait on a work list,
     * so equal values nested as deep as the reader allows compare on any thread stack, and a pair
     * of sub-values reached again (shared, as in a memo-built tuple of tuples) is compared once.
     * Only two different frozenset elements with equal hash codes cost a nested call.
     */
    static boolean deepEquals(Object a, Object b) {
        List<Object> work = new ArrayList<>(); // pairs, pushed x then y; null is a value (None)
        Set<SeenPair> seen = new HashSet<>();
        work.add(a);
        work.add(b);
        while (!work.isEmpty()) {
            Object y = work.remove(work.size() - 1);
            Object x = work.remove(work.size() - 1);
            if (x == y) {
                continue;
            }
            if (x instanceof PyTuple tx) {
                if (!(y instanceof PyTuple ty) || tx.size() != ty.size()
                        || tx.isHashable() && ty.isHashable() && tx.hashCode() != ty.hashCode()) {
                    return false;
                }
                if (seen.add(new SeenPair(x, y))) {
                    for (int i = 0; i < tx.size(); i++) {
                        work.add(tx.get(i));
                        work.add(ty.get(i));
                    }
                }
            } else if (x instanceof PyFrozenSet fx) {
                if (!(y instanceof PyFrozenSet fy) || fx.size() != fy.size() || fx.hashCode() != fy.hashCode()) {
                    return false;
                }
                if (seen.add(new SeenPair(x, y)) && !pairElements(fx, fy, work)) {
                    return false;
                }
            } else if (x == null || y instanceof PyTuple || y instanceof PyFrozenSet || !x.equals(y)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Schedules, for each element of {@code y}, the element of {@code x} it must equal: the one
     * with its hash code. False when some element has none.
     */
    private static boolean pairElements(PyFrozenSet x, PyFrozenSet y, List<Object> work) {
        Map<Integer, List<Object>> byHash = new HashMap<>();
        for (Object element : x) {
            byHash.computeIfAbsent(Objects.hashCode(element), h -> new ArrayList<>(1)).add(element);
        }
        for (Object element : y) {
            List<Object> candidates = byHash.get(Objects.hashCode(element));
            if (candidates == null) {
                return false;
            }
            if (candidates.size() == 1) {
                work.add(candidates.get(0));
                work.add(element);
            } else if (candidates.stream().noneMatch(c -> c == element || deepEquals(c, element))) {
                return false;
            }
        }
        return true;
    }

    /** Two values compared by identity. */
    private record SeenPair(Object x, Object y) {
        @Override
        public boolean equals(Object other) {
            return other instanceof SeenPair p && p.x == x && p.y == y;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(x) * 31 + System.identityHashCode(y);
        }
    }

    /** Nesting depth of tuples and frozensets (0 for anything else). */
    static int nesting(Object value) {
        if (value instanceof PyTuple tuple) {
            return tuple.nesting();
        }
        if (value instanceof PyFrozenSet set) {
            return set.nesting();
        }
        return 0;
    }
}
