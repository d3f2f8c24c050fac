package dev.ckpt.pickle;

import java.util.Map;

/** The values of a tree that behave as Python dicts: dicts, and objects pickled with dict items. */
public final class DictLike {
    private DictLike() {
    }

    /** True for a {@code collections.OrderedDict} (what {@code model.state_dict()} returns). */
    public static boolean isOrderedDict(Object value) {
        return value instanceof PyObject object && object.construction() == PyObject.Construction.REDUCE
                && object.callable() instanceof PyGlobal type && !type.isDeleted() && type.is("collections", "OrderedDict");
    }

    /** The live entries of a dict, or of a dict-like object (its SETITEMS items), or null. */
    @SuppressWarnings("unchecked")
    public static Map<Object, Object> entriesOrNull(Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<Object, Object>) map;
        }
        if (value instanceof PyObject object && object.dictItems() != null) {
            return object.dictItems();
        }
        if (value instanceof PyObject object && object.callable() instanceof PyGlobal type && !type.isDeleted()
                && type.is("collections", "OrderedDict") && object.args().isEmpty()) {
            // An empty OrderedDict (the state_dict of a model without parameters) is pickled without items.
            return object.dictItemsForUpdate();
        }
        return null;
    }
}
