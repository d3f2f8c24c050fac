package dev.ckpt.pickle;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The builtin values that CPython pickles as calls to a builtin below some protocol: bytes
 * (protocols 0-2, as {@code _codecs.encode(str, 'latin1')}), set and frozenset (0-3) and
 * bytearray (0-4). Reading turns those calls back into the natural value; the writer makes the
 * same calls again at the same protocols.
 */
final class BuiltinValues {
    static final PyGlobal CODECS_ENCODE = PyGlobal.of("_codecs", "encode");
    static final PyGlobal BYTES = PyGlobal.of("builtins", "bytes");
    static final PyGlobal SET = PyGlobal.of("builtins", "set");
    static final PyGlobal FROZENSET = PyGlobal.of("builtins", "frozenset");
    static final PyGlobal BYTEARRAY = PyGlobal.of("builtins", "bytearray");

    private BuiltinValues() {
    }

    /** The builtin value a REDUCE call makes, or null when the call is not one of those. */
    static Object fromReduce(PyGlobal callable, PyTuple args) {
        if (callable.equals(CODECS_ENCODE)) {
            return latin1Bytes(args);
        }
        if (callable.equals(BYTES) && args.isEmpty()) {
            return new byte[0];
        }
        if (callable.equals(SET)) {
            List<?> items = soleList(args);
            return items == null ? null : mutableSet(items);
        }
        if (callable.equals(FROZENSET)) {
            List<?> items = soleList(args);
            return items == null ? null : PyFrozenSet.copyOf(items);
        }
        if (callable.equals(BYTEARRAY)) {
            return byteArray(args);
        }
        return null;
    }

    private static byte[] latin1Bytes(PyTuple args) {
        if (args.size() == 2 && args.get(0) instanceof String text && isLatin1Name(args.get(1)) && fitsLatin1(text)) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        return null;
    }

    private static PyByteArray byteArray(PyTuple args) {
        if (args.isEmpty()) {
            return new PyByteArray(new byte[0]);
        }
        if (args.size() == 1 && args.get(0) instanceof byte[] bytes) {
            return new PyByteArray(bytes);
        }
        byte[] latin1 = latin1Bytes(args);
        return latin1 == null ? null : new PyByteArray(latin1);
    }

    private static List<?> soleList(PyTuple args) {
        if (args.isEmpty()) {
            return List.of();
        }
        return args.size() == 1 && args.get(0) instanceof List<?> list && !(args.get(0) instanceof PyTuple) ? list : null;
    }

    private static Set<Object> mutableSet(List<?> items) {
        Set<Object> set = new LinkedHashSet<>();
        for (Object item : items) {
            PythonHash.requireHashable(item, "a set element");
            set.add(item);
        }
        return set;
    }

    private static boolean isLatin1Name(Object encoding) {
        return "latin1".equals(encoding) || "latin-1".equals(encoding);
    }

    private static boolean fitsLatin1(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xff) {
                return false;
            }
        }
        return true;
    }
}
