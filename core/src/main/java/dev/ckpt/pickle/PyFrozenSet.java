package dev.ckpt.pickle;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/** A Python frozenset: an immutable set that keeps the order its elements were pickled in. */
public final class PyFrozenSet extends AbstractSet<Object> {
    private final Set<Object> items;
    private final int hash;
    private final int nesting;

    private PyFrozenSet(Set<Object> items) {
        this.items = Collections.unmodifiableSet(items);
        int h = 0;
        int deepest = 0;
        for (Object item : items) {
            h ^= shuffleBits(item == null ? 0 : item.hashCode());
            deepest = Math.max(deepest, PythonHash.nesting(item));
        }
        this.hash = finishHash(h, items.size());
        this.nesting = deepest + 1;
    }

    /*
     * CPython's frozenset hash (frozenset_hash in setobject.c) on Java hash codes. A plain sum, as
     * Set.hashCode has it, gives frozenset({x}) the hash of x, so every level of a nested
     * frozenset chain collides and hash tables fall back to deep equality on each lookup.
     */
    private static int shuffleBits(int h) {
        return (h ^ 89869747 ^ h << 16) * (int) 3644798167L;
    }

    private static int finishHash(int h, int size) {
        h ^= (size + 1) * 1927868237;
        h ^= h >>> 11 ^ h >>> 25;
        return h * 69069 + 907133923;
    }

    /** A frozenset of the given elements, in their order; every element must be hashable. */
    public static PyFrozenSet copyOf(Collection<?> elements) {
        Set<Object> set = new LinkedHashSet<>();
        for (Object element : elements) {
            PythonHash.requireHashable(element, "a frozenset element");
            set.add(element);
        }
        return new PyFrozenSet(set);
    }

    @Override
    public Iterator<Object> iterator() {
        return items.iterator();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public boolean contains(Object o) {
        return items.contains(o);
    }

    public int nesting() {
        return nesting;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PyFrozenSet && PythonHash.deepEquals(this, other);
    }

    @Override
    public String toString() {
        return ValuePrinter.inline(this);
    }
}
