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
            h += item == null ? 0 : item.hashCode();
            deepest = Math.max(deepest, PythonHash.nesting(item));
        }
        this.hash = h;
        this.nesting = deepest + 1;
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
        return other instanceof PyFrozenSet && super.equals(other);
    }

    @Override
    public String toString() {
        return ValuePrinter.inline(this);
    }
}
