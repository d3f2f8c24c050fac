package dev.ckpt.api;

import dev.ckpt.pickle.DictLike;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.pickle.PythonTypes;
import dev.ckpt.pickle.ValuePrinter;
import java.util.List;
import java.util.Map;

/**
 * Safe navigation through a checkpoint's value tree, after Jackson's {@code JsonNode}:
 * {@code ckpt.node("hyper_parameters.config.model.num_layers").asLong()} never throws on a
 * missing step — a missing node answers {@link #isMissing()} — and typed accessors replace
 * casts. Dict-like objects (OrderedDict, Lightning's AttributeDict) are navigated by their items.
 */
public final class Node {
    private static final Node MISSING = new Node(null, true, "");

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

    /** Follows a dotted path; a segment of digits indexes a list. */
    public Node path(String dottedPath) {
        Node node = this;
        for (String segment : dottedPath.split("\\.", -1)) {
            node = node.get(segment);
        }
        return node;
    }

    /** The value under a dict key (or a list index written as digits), or a missing node. */
    public Node get(Object key) {
        if (missing) {
            return this;
        }
        String here = where.isEmpty() ? String.valueOf(key) : where + "." + key;
        Map<Object, Object> map = DictLike.entriesOrNull(value);
        if (map != null) {
            return map.containsKey(key) ? new Node(map.get(key), false, here) : missingAt(here);
        }
        if (value instanceof List<?> list && key instanceof String s && s.matches("\\d+")) {
            int index = Integer.parseInt(s);
            return index < list.size() ? new Node(list.get(index), false, here) : missingAt(here);
        }
        return missingAt(here);
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
        if (value instanceof List<?> list && !(value instanceof dev.ckpt.pickle.PyTuple)) {
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
        return missing ? "<missing " + where + ">" : dev.ckpt.pickle.ValuePrinter.inline(value);
    }
}
