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
    private final long hash;
    private final int nesting;

    private PyFrozenSet(Set<Object> items) {
        this.items = Collections.unmodifiableSet(items);
        long h = 0;
        int deepest = 0;
        for (Object item : items) {
            // order-free, and each element mixed first: frozenset({x}) does not hash as x, so nested chains do not collide
            h += PythonHash.mix(PythonHash.hash64(item) ^ 0x5365745eL);
            deepest = Math.max(deepest, PythonHash.nesting(item));
        }
        this.hash = PythonHash.mix(h ^ items.size());
        this.nesting = deepest + 1;
    }

    /** The keyed hash of the elements (see PythonHash), whatever their order. */
    long hash64() {
        return hash;
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
        return PythonHash.fold(hash);
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
