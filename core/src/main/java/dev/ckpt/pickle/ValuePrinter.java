package dev.ckpt.pickle;

import java.math.BigInteger;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python-like text for value trees: a short inline form for messages, and an indented tree for
 * people. Both stop at a depth and an item count, so they never recurse without bound, and show
 * a value reached again (shared or cyclic) as a back-reference instead of printing it twice.
 */
public final class ValuePrinter {
    private static final int INLINE_DEPTH = 3;
    private static final int INLINE_ITEMS = 8;

    private final StringBuilder out = new StringBuilder();
    private final Map<Object, Integer> seen = new IdentityHashMap<>();
    private final int maxDepth;
    private final int maxItems;

    private ValuePrinter(int maxDepth, int maxItems) {
        this.maxDepth = maxDepth;
        this.maxItems = maxItems;
    }

    /** A one-line repr, cut short for messages. */
    public static String inline(Object value) {
        ValuePrinter printer = new ValuePrinter(INLINE_DEPTH, INLINE_ITEMS);
        printer.inlineValue(value, 0);
        return printer.out.toString();
    }

    /** An indented tree, one container entry per line, down to {@code maxDepth}. */
    public static String tree(Object value, int maxDepth, int maxItems) {
        ValuePrinter printer = new ValuePrinter(maxDepth, maxItems);
        printer.treeValue(value, 0);
        return printer.out.toString();
    }

    private void inlineValue(Object value, int depth) {
        if (value instanceof PyPersistentId pid) {
            // Its id may hold the id itself, or another id, without end: print it at this depth, not with a fresh printer (toString).
            out.append("<persistent ");
            if (depth >= maxDepth) {
                out.append("...");
            } else {
                inlineValue(pid.id(), depth + 1);
            }
            out.append('>');
            return;
        }
        if (!isContainer(value)) {
            out.append(scalar(value));
            return;
        }
        if (depth >= maxDepth) {
            out.append(open(value)).append("...").append(close(value));
            return;
        }
        out.append(open(value));
        int i = 0;
        for (Object entry : entries(value)) {
            if (i > 0) {
                out.append(", ");
            }
            if (i++ == maxItems) {
                out.append("...");
                break;
            }
            if (entry instanceof Map.Entry<?, ?> e) {
                inlineValue(e.getKey(), depth + 1);
                out.append(": ");
                inlineValue(e.getValue(), depth + 1);
            } else {
                inlineValue(entry, depth + 1);
            }
        }
        out.append(close(value));
    }

    private void treeValue(Object value, int depth) {
        if (!isContainer(value)) {
            out.append(scalar(value)).append('\n');
            return;
        }
        Integer previous = seen.get(value);
        if (previous != null) {
            out.append("<same as #").append(previous).append(">\n");
            return;
        }
        int id = seen.size() + 1;
        seen.put(value, id);
        Collection<?> entries = entries(value);
        out.append(value instanceof PyObject ? value.toString() : open(value).trim() + close(value).trim()).append("  #").append(id);
        out.append(" (").append(entries.size()).append(entries.size() == 1 ? " item)" : " items)").append('\n');
        if (depth >= maxDepth) {
            return;
        }
        int i = 0;
        for (Object entry : entries) {
            indent(depth + 1);
            if (i++ == maxItems) {
                out.append("... ").append(entries.size() - maxItems).append(" more\n");
                break;
            }
            if (entry instanceof Map.Entry<?, ?> e) {
                out.append(scalarOrKind(e.getKey())).append(": ");
                treeValue(e.getValue(), depth + 1);
            } else {
                treeValue(entry, depth + 1);
            }
        }
    }

    private void indent(int depth) {
        out.append("  ".repeat(depth));
    }

    private static boolean isContainer(Object value) {
        return value instanceof Collection || value instanceof Map || value instanceof PyObject;
    }

    private static Collection<?> entries(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet();
        }
        if (value instanceof PyObject object) {
            return objectParts(object).entrySet();
        }
        return (Collection<?>) value;
    }

    /** The parts of an object that hold data, labelled. */
    private static Map<String, Object> objectParts(PyObject object) {
        Map<String, Object> parts = new java.util.LinkedHashMap<>();
        if (!object.args().isEmpty()) {
            parts.put("args", object.args());
        }
        if (object.kwargs() != null) {
            parts.put("kwargs", object.kwargs());
        }
        if (object.listItems() != null) {
            parts.put("items", object.listItems());
        }
        if (object.dictItems() != null) {
            parts.put("entries", object.dictItems());
        }
        if (object.hasState()) {
            parts.put("state", object.state());
        }
        return parts;
    }

    private static String open(Object value) {
        if (value instanceof PyTuple) {
            return "(";
        }
        if (value instanceof PyFrozenSet) {
            return "frozenset({";
        }
        if (value instanceof List) {
            return "[";
        }
        if (value instanceof Set) {
            return "{";
        }
        if (value instanceof PyObject object) {
            return object + "(";
        }
        return "{";
    }

    private static String close(Object value) {
        if (value instanceof PyTuple || value instanceof PyObject) {
            return ")";
        }
        if (value instanceof PyFrozenSet) {
            return "})";
        }
        return value instanceof List ? "]" : "}";
    }

    private static String scalarOrKind(Object value) {
        return isContainer(value) ? inline(value) : scalar(value);
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof String s) {
            return "'" + (s.length() > 200 ? s.substring(0, 200) + "..." : s).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'";
        }
        if (value instanceof Double d) {
            return d.isNaN() ? "nan" : d.isInfinite() ? (d > 0 ? "inf" : "-inf") : d.toString();
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof byte[] bytes) {
            return "b<" + bytes.length + " bytes>";
        }
        return String.valueOf(value);
    }
}
