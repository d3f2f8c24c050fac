package dev.ckpt.pickle;

import java.math.BigInteger;

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
