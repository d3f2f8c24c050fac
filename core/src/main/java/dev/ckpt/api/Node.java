package dev.ckpt.api;

import dev.ckpt.pickle.DictLike;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.pickle.PythonTypes;
import dev.ckpt.pickle.ValuePrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Safe navigation through a checkpoint's value tree, after Jackson's {@code JsonNode}:
 * {@code ckpt.node("hyper_parameters.config.model.num_layers").asLong()} never throws on a
 * missing step — a missing node answers {@link #isMissing()} — and typed accessors replace
 * casts.
 *
 * <p>A path is keys separated by dots. A step goes into a dict (or a dict-like object: an
 * OrderedDict, Lightning's AttributeDict), a list or tuple (a number, or {@code [3]}), or the
 * attributes of a pickled object (a dataclass, a namespace). A digit step also finds an int key
 * ({@code optimizer_states.0.state.3.exp_avg}), even quoted ({@code ["3"]} is the str key "3"
 * when there is one, else the int 3); indices are not negative. A dict-like object's attributes
 * are reached when no item has the key ({@code state_dict._metadata}). Keys with dots or brackets
 * are quoted: {@code callbacks["ModelCheckpoint{'monitor': 'val_loss'}"].best_model_path};
 * {@link #quote} writes one.
 */
public final class Node {
    private final Object value;
    private final boolean missing;
    private final String where;

    private Node(Object value, boolean missing, String where) {
        this.value = value;
        this.missing = missing;
        this.where = where;
    }

    public static Node of(Object value) {
        return new Node(value, false, "");
    }

    /** Follows a path (see the class comment); the empty path is this node. */
    public Node path(String path) {
        Node node = this;
        for (String step : NodePath.steps(path)) {
            node = node.get(step);
        }
        return node;
    }

    /** A key as a path step: itself when plain, else quoted. */
    public static String quote(String key) {
        return NodePath.quote(key);
    }

    /** One step: a dict key, a list index (a number or digits), or an object's attribute; missing when not there. */
    public Node get(Object key) {
        if (missing) {
            return this;
        }
        String here = where.isEmpty() ? NodePath.quote(String.valueOf(key)) : where + "." + NodePath.quote(String.valueOf(key));
        Map<Object, Object> map = DictLike.entriesOrNull(value);
        if (map != null && map.containsKey(key)) {
            return new Node(map.get(key), false, here);
        }
        Long number = asIndex(key);
        if (map != null && number != null && map.containsKey(number)) {
            return new Node(map.get(number), false, here);
        }
        List<?> items = value instanceof List<?> list ? list : value instanceof PyObject object ? object.listItems() : null;  // tuples too
        if (items != null && number != null) {
            return number < items.size() ? new Node(items.get(number.intValue()), false, here) : missingAt(here);
        }
        Map<Object, Object> attributes = value instanceof PyObject object ? object.attributes() : null;
        if (attributes != null && attributes.containsKey(key)) {
            return new Node(attributes.get(key), false, here);
        }
        return missingAt(here);
    }

    /**
     * Sets what one step below this node holds, from what it held (null when new): a dict entry
     * (a new key goes at the end), a list element, or an object's attribute.
     */
    void put(String step, UnaryOperator<Object> newValue) {
        Map<Object, Object> map = DictLike.entriesOrNull(value);
        Map<Object, Object> attributes = value instanceof PyObject object ? object.attributes() : null;
        Long number = asIndex(step);
        boolean attribute = attributes != null && attributes.containsKey(step);
        if (map != null && number != null && !map.containsKey(step) && map.containsKey(number)) {
            map.put(number, newValue.apply(map.get(number)));
        } else if (map != null && (map.containsKey(step) || !attribute)) {
            map.put(step, newValue.apply(map.get(step)));
        } else if (listOrNull() != null && number != null && number < listOrNull().size()) {
            listOrNull().set(number.intValue(), newValue.apply(listOrNull().get(number.intValue())));
        } else if (attributes != null) {
            attributes.put(step, newValue.apply(attributes.get(step)));
        } else {
            throw new IllegalStateException(describe() + " is " + kind() + ": it cannot hold '" + step + "'");
        }
    }

    /** A step as an int key or list index: a number, or a str of digits; else null. */
    private static Long asIndex(Object step) {
        if (step instanceof Number n) {
            return n.longValue();
        }
        return step instanceof String s && s.matches("\\d{1,18}") ? Long.valueOf(s) : null;
    }

    /** The live elements of a list or of a list-like object (a deque), or null. */
    @SuppressWarnings("unchecked")
    private List<Object> listOrNull() {
        if (value instanceof List<?> list && !(value instanceof PyTuple)) {
            return (List<Object>) list;
        }
        return value instanceof PyObject object ? object.listItems() : null;
    }

    /** The keys of a dict (or dict-like object), the attribute names of an object, or the indices of a list. */
    public List<Object> keys() {
        Map<Object, Object> map = DictLike.entriesOrNull(value);
        if (map != null) {
            return new ArrayList<>(map.keySet());
        }
        if (value instanceof PyObject object && object.attributes() != null) {
            return new ArrayList<>(object.attributes().keySet());
        }
        if (value instanceof List<?> list) {
            List<Object> indices = new ArrayList<>();
            for (long i = 0; i < list.size(); i++) {
                indices.add(i);
            }
            return indices;
        }
        return List.of();
    }

    /** Where this node is, as a path from where navigation started. */
    public String where() {
        return where;
    }

    private static Node missingAt(String where) {
        return new Node(null, true, where);
    }

    public boolean isMissing() {
        return missing;
    }

    public boolean isNull() {
        return !missing && value == null;
    }

    public boolean isMap() {
        return DictLike.entriesOrNull(value) != null;
    }

    /** The value itself: null for None, and for a missing node. */
    public Object value() {
        return value;
    }

    public String asText() {
        return require(String.class, "a str");
    }

    public long asLong() {
        return require(Long.class, "an int");
    }

    public double asDouble() {
        if (value instanceof Long l) {
            return l;
        }
        return require(Double.class, "a float");
    }

    public boolean asBoolean() {
        return require(Boolean.class, "a bool");
    }

    /** The live map (changes go into the checkpoint). */
    public Map<Object, Object> asMap() {
        Map<Object, Object> map = DictLike.entriesOrNull(value);
        if (map == null) {
            throw new IllegalStateException(describe() + " is " + kind() + ", not a dict");
        }
        return map;
    }

    /** The live list (changes go into the checkpoint). */
    @SuppressWarnings("unchecked")
    public List<Object> asList() {
        if (value instanceof List<?> list && !(value instanceof PyTuple)) {
            return (List<Object>) list;
        }
        throw new IllegalStateException(describe() + " is " + kind() + ", not a list");
    }

    private <T> T require(Class<T> type, String what) {
        if (type.isInstance(value)) {
            return type.cast(value);
        }
        throw new IllegalStateException(describe() + " is " + kind() + ", not " + what);
    }

    private String kind() {
        return missing ? "missing" : PythonTypes.name(value);
    }

    private String describe() {
        return where.isEmpty() ? "the value" : "'" + where + "'";
    }

    @Override
    public String toString() {
        return missing ? "<missing " + where + ">" : ValuePrinter.inline(value);
    }
}
