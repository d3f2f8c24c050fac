package dev.ckpt.pickle;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which values Python accepts as dict keys and set elements, how deep immutable values nest, and
 * the hash codes of tuples and frozensets. Those are keyed with a random value drawn once per
 * JVM ({@link #SEED}) and mixed through a 64-bit finalizer at every element: Java's own list hash
 * ({@code 31 * h + x}) lets a stranger's pickle hold thousands of tuple keys with one hash code,
 * and a hash table of keys that are not Comparable then compares each new key with all of them.
 * Without the key, equal hashes can only be found by chance, one in 2^32 per pair.
 */
final class PythonHash {
    private static final long SEED = new java.security.SecureRandom().nextLong();

    private PythonHash() {
    }

    /** The keyed 64-bit hash of a hashable value: equal values (as ckpt compares them) hash equal. */
    static long hash64(Object value) {
        if (value == null) {
            return mix(SEED ^ 0x4e6f6e65L);
        }
        if (value instanceof PyTuple tuple) {
            return tuple.hash64();
        }
        if (value instanceof PyFrozenSet set) {
            return set.hash64();
        }
        if (value instanceof String text) {
            long h = mix(SEED ^ text.length());
            for (int i = 0; i < text.length(); i++) {
                h = mix(h ^ text.charAt(i));
            }
            return h;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return mix(SEED + 0x9e3779b97f4a7c15L * ((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return mix(SEED ^ Double.doubleToLongBits(((Number) value).doubleValue()) ^ 0x466c6f6174L);
        }
        if (value instanceof Boolean b) {
            return mix(SEED ^ (b ? 0x54727565L : 0x46616c73L));
        }
        if (value instanceof BigInteger big) {
            return hash64(big.toString(16)) ^ 0x426967L;
        }
        if (value instanceof PyGlobal global) {
            return hash64(global.path()) ^ (global.isDeleted() ? 1 : 0);
        }
        // compared by identity (bytes, objects, persistent ids, extensions): no one can make them collide
        return mix(SEED ^ value.hashCode());
    }

    /** Folds a 64-bit hash into Java's hash code. */
    static int fold(long hash) {
        return (int) (hash ^ hash >>> 32);
    }

    /** Murmur3's 64-bit finalizer: every input bit changes about half of the output bits. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ h >>> 33;
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
