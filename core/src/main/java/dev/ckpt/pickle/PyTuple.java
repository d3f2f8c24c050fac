package dev.ckpt.pickle;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A Python tuple: an immutable list. Its hash is computed once, when it is built (its elements
 * are complete by then), so hashing a deeply nested tuple never recurses.
 */
public final class PyTuple extends AbstractList<Object> implements RandomAccess {
    private static final PyTuple EMPTY = new PyTuple(new Object[0]);

    private final Object[] items;
    private final boolean hashable;
    private final long hash;
    private final int nesting;

    private PyTuple(Object[] items) {
        this.items = items;
        boolean allHashable = true;
        long h = PythonHash.mix(items.length);
        int deepest = 0;
        for (Object item : items) {
            allHashable &= PythonHash.isHashable(item);
            if (allHashable) {
                // Only hashable items: a list's or dict's hash recurses, endlessly when it holds itself.
                h = PythonHash.mix(h ^ PythonHash.hash64(item));
            }
            deepest = Math.max(deepest, PythonHash.nesting(item));
        }
        this.hashable = allHashable;
        this.hash = allHashable ? h : System.identityHashCode(this);
        this.nesting = deepest + 1;
    }

    public static PyTuple of(Object... items) {
        return items.length == 0 ? EMPTY : new PyTuple(items.clone());
    }

    public static PyTuple copyOf(List<?> items) {
        return items.isEmpty() ? EMPTY : new PyTuple(items.toArray());
    }

    /** Takes ownership of the array: the caller must not change it afterwards. */
    static PyTuple wrap(Object[] items) {
        return items.length == 0 ? EMPTY : new PyTuple(items);
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    /** False when an element is unhashable in Python (a list, dict, set or bytearray). */
    public boolean isHashable() {
        return hashable;
    }

    /** How many tuples and frozensets deep this tuple is; a flat tuple is 1. */
    public int nesting() {
        return nesting;
    }

    /** The keyed hash of the elements (see PythonHash); identity-based for an unhashable tuple. */
    long hash64() {
        return hash;
    }

    @Override
    public int hashCode() {
        return PythonHash.fold(hash);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PyTuple && PythonHash.deepEquals(this, other);
    }

    @Override
    public String toString() {
        return ValuePrinter.inline(this);
    }
}
