package dev.ckpt.api;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PythonTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An OmegaConf {@code DictConfig} or {@code ListConfig} in a checkpoint's value tree (e.g.
 * Lightning's {@code hyper_parameters}), navigated and edited in place by key paths, the way
 * OmegaConf itself would change it.
 *
 * <p>A path is keys separated by dots; a list element is its index: {@code model.layers.0} or
 * {@code model.layers[0]}. The empty path is this config. Values come back as plain Java values
 * ({@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code byte[]}, {@code null}
 * for None), or as a view for a nested config. Values are the stored ones: an interpolation is
 * its {@code "${...}"} text (nothing is resolved) and a missing value is {@code "???"}.
 *
 * <p>{@link #set} follows {@code OmegaConf.update(cfg, path, value, merge=False)}: an AnyNode or
 * typed node given a plain value keeps its node and changes its value (a typed node checks the
 * type); anything else gets a new node built as OmegaConf builds it (node class, metadata,
 * {@code _parent} the containing config), and a missing dict on the way is created. Every other
 * node object is left untouched. Flags ({@code struct}, {@code readonly}) are not enforced: an
 * edit acts as under {@code open_dict} and {@code read_write}; the fixed keys of a structured
 * config are.
 *
 * <p>Errors say what and where: a path that is not there names the missing key and the config
 * it was looked up in ({@link NoSuchElementException}); wrong use, such as setting a key inside a
 * value or a value the node's type cannot hold, is an {@link IllegalArgumentException}.
 */
public final class OmegaConfView {
    private final OmegaConfNode root;

    private OmegaConfView(OmegaConfNode root) {
        this.root = root;
    }

    /** True when the value is a pickled DictConfig or ListConfig. */
    public static boolean isConfig(Object value) {
        OmegaConfNode node = OmegaConfNode.read(value);
        return node != null && node.isContainer();
    }

    /** The view of a pickled DictConfig or ListConfig. */
    public static OmegaConfView of(Object value) {
        OmegaConfNode node = OmegaConfNode.read(value);
        if (node == null || !node.isContainer()) {
            throw new IllegalArgumentException("not an OmegaConf DictConfig or ListConfig: " + PythonTypes.name(value)
                    + (node == null ? "" : " (a single value node; view its containing config)"));
        }
        return new OmegaConfView(node);
    }

    /**
     * A new DictConfig of plain values, maps and lists, built as {@code OmegaConf.create(content)}
     * builds it (a root config: no key, no parent); put {@link #value()} into the tree.
     */
    public static OmegaConfView create(Map<?, ?> content) {
        return of(OmegaConfNode.wrap(content, null, null, null, "the config"));
    }

    /** The DictConfig or ListConfig object in the tree. */
    public PyObject value() {
        return root.object();
    }

    public boolean isDict() {
        return root.kind() == OmegaConfNode.Kind.DICT;
    }

    public boolean isList() {
        return root.kind() == OmegaConfNode.Kind.LIST;
    }

    // ---------------------------------------------------------------- reading

    /**
     * The value at the path: a plain value, or a view of a nested config.
     *
     * @throws NoSuchElementException naming the first key of the path that is not there
     */
    public Object get(String path) {
        return valueOf(require(path));
    }

    /** True when the path leads to a node. */
    public boolean has(String path) {
        return find(path) != null;
    }

    public String getString(String path) {
        return typed(path, String.class, "a str");
    }

    public long getLong(String path) {
        return typed(path, Long.class, "an int");
    }

    /** A float value, or an int one widened. */
    public double getDouble(String path) {
        Object value = get(path);
        if (value instanceof Long whole) {
            return whole;
        }
        return typed(path, value, Double.class, "a float");
    }

    public boolean getBoolean(String path) {
        return typed(path, Boolean.class, "a bool");
    }

    /** The nested config at the path. */
    public OmegaConfView getConfig(String path) {
        return typed(path, OmegaConfView.class, "a config (DictConfig or ListConfig with content)");
    }

    /** True when the value at the path is missing ({@code '???'}). */
    public boolean isMissing(String path) {
        return OmegaConfNode.MISSING.equals(require(path).rawValue());
    }

    /** True when the value at the path is an interpolation ({@code '${...}'}). */
    public boolean isInterpolation(String path) {
        return OmegaConfNode.isInterpolation(require(path).rawValue());
    }

    /** The Python class of the node at the path, e.g. {@code omegaconf.nodes.IntegerNode}. */
    public PyGlobal nodeClass(String path) {
        return require(path).object().pythonClass();
    }

    /** The keys of this config: dict keys as stored, or a list's indexes (as Long). */
    public List<Object> keys() {
        return keys("");
    }

    /** The keys of the config at the path. */
    public List<Object> keys(String path) {
        OmegaConfNode node = require(path);
        if (node.dictContent() != null) {
            return new ArrayList<>(node.dictContent().keySet());
        }
        if (node.listContent() != null) {
            List<Object> indexes = new ArrayList<>();
            for (long i = 0; i < node.listContent().size(); i++) {
                indexes.add(i);
            }
            return indexes;
        }
        throw new IllegalArgumentException(describe(path) + " is " + what(node) + ", not a config with keys");
    }

    /**
     * A plain copy: maps and lists of the stored values, as
     * {@code OmegaConf.to_container(cfg, resolve=False)} gives them.
     */
    public Object toPlain() {
        return plain(root);
    }

    // ---------------------------------------------------------------- editing

    /**
     * Sets the value at the path, replacing it or adding the key (and any missing dicts before
     * it). The value is a plain value, or a {@code Map} or {@code List} of them for a nested config.
     *
     * @throws IllegalArgumentException for a key inside a value, or a value the target node cannot hold
     * @throws NoSuchElementException for a list index out of range (use {@link #append})
     */
    public void set(String path, Object value) {
        List<String> keys = ConfigPath.split(path);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("set needs the path of a key, not the empty path");
        }
        OmegaConfNode container = root;
        for (int i = 0; i < keys.size() - 1; i++) {
            requireContent(container, keys, i, path);
            Located located = locate(container, keys, i);
            if (located.node == null) {
                // OmegaConf.update creates a missing dict on the way: {} then its key, which
                // builds the same nodes as setting the nested dict at once.
                Object nested = value;
                for (int j = keys.size() - 1; j > i; j--) {
                    Map<Object, Object> level = new LinkedHashMap<>();
                    level.put(keys.get(j), nested);
                    nested = level;
                }
                assign(container, keys, i, path, nested);
                return;
            }
            container = located.node;
        }
        assign(container, keys, keys.size() - 1, path, value);
    }

    /** Appends a value (plain, or a Map or List) to the list at the path ({@code ""} for this one). */
    public void append(String path, Object value) {
        OmegaConfNode list = require(path);
        List<Object> content = list.listContent();
        if (content == null) {
            throw new IllegalArgumentException(describe(path) + " is " + what(list) + ", not a list: cannot append to it");
        }
        long index = content.size();
        content.add(OmegaConfNode.wrap(value, index, list.object(), list.elementType(), where(path) + "[" + index + "]"));
    }

    /**
     * Removes the key (or list element) at the path; later list elements move up and their keys
     * are renumbered, as OmegaConf does.
     *
     * @return the removed value as a plain value (see {@link #toPlain})
     */
    public Object remove(String path) {
        List<String> keys = ConfigPath.split(path);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("remove needs the path of a key, not the empty path");
        }
        OmegaConfNode container = walk(keys, keys.size() - 1, path, false);
        requireContent(container, keys, keys.size() - 1, path);
        Located located = locate(container, keys, keys.size() - 1);
        if (located.node == null) {
            throw notFound(container, keys, keys.size() - 1, path);
        }
        if (container.dictContent() != null) {
            if (container.isStructured()) {
                throw new IllegalArgumentException("cannot remove '" + keys.get(keys.size() - 1) + "' from "
                        + describe(keys, keys.size() - 1) + ": a structured config of class " + structuredClass(container)
                        + ", whose keys are fixed");
            }
            container.dictContent().remove(located.key);
        } else {
            List<Object> list = container.listContent();
            int index = (int) (long) (Long) located.key;
            list.remove(index);
            for (int i = index; i < list.size(); i++) {
                OmegaConfNode moved = OmegaConfNode.read(list.get(i));
                if (moved != null) {
                    moved.setKey((long) i);
                }
            }
        }
        return plain(located.node);
    }

    private void assign(OmegaConfNode container, List<String> keys, int i, String path, Object value) {
        String where = where(keys, i + 1);
        requireContent(container, keys, i, path);
        Located located = locate(container, keys, i);
        OmegaConfNode target = located.node;
        if (target == null) {
            if (container.listContent() != null) {
                throw notFound(container, keys, i, path);
            }
            if (container.isStructured()) {
                throw new IllegalArgumentException("cannot add key '" + keys.get(i) + "' to " + describe(keys, i)
                        + ": a structured config of class " + structuredClass(container) + ", whose keys are fixed");
            }
            Object key = container.newKey(keys.get(i), describe(keys, i));
            container.dictContent().put(key, OmegaConfNode.wrap(value, key, container.object(), container.elementType(), where));
            return;
        }
        boolean plainValue = !(value instanceof Map || value instanceof List);
        if (target.kind() == OmegaConfNode.Kind.VALUE && (target.hasRefType() || plainValue)) {
            // OmegaConf's _set_value: the node stays, its value changes.
            target.setVal(OmegaConfNode.convert(target.object().pythonClass(), value, target.isOptional(), where));
            return;
        }
        if (target.kind() == OmegaConfNode.Kind.UNION || target.hasRefType()) {
            throw new UnsupportedOperationException(where + " is a typed " + target.className() + " (ref_type "
                    + typeName(target.refType()) + "): ckpt replaces only untyped configs and values; set the keys inside it instead");
        }
        PyObject node = OmegaConfNode.wrap(value, located.key, container.object(), container.elementType(), where);
        if (container.dictContent() != null) {
            container.dictContent().put(located.key, node);
        } else {
            container.listContent().set((int) (long) (Long) located.key, node);
        }
    }

    // ---------------------------------------------------------------- lookup

    /** A child found under a container: its key in the content (a Long for a list) and node, or no node. */
    private record Located(Object key, OmegaConfNode node) {
    }

    private OmegaConfNode require(String path) {
        List<String> keys = ConfigPath.split(path);
        return walk(keys, keys.size(), path, false);
    }

    private OmegaConfNode find(String path) {
        List<String> keys = ConfigPath.split(path);
        return walk(keys, keys.size(), path, true);
    }

    /** The node the first {@code count} keys lead to; null (quiet) or an error when there is none. */
    private OmegaConfNode walk(List<String> keys, int count, String path, boolean quiet) {
        OmegaConfNode node = root;
        for (int i = 0; i < count; i++) {
            if (quiet && node.dictContent() == null && node.listContent() == null) {
                return null;
            }
            requireContent(node, keys, i, path);
            Located located = locate(node, keys, i);
            if (located.node == null) {
                if (quiet) {
                    return null;
                }
                throw notFound(node, keys, i, path);
            }
            node = located.node;
        }
        return node;
    }

    /** Checks that the node the first {@code i} keys lead to is a config with content, which can hold {@code keys[i]}. */
    private static void requireContent(OmegaConfNode node, List<String> keys, int i, String path) {
        if (!node.isContainer()) {
            throw new IllegalArgumentException(describe(keys, i) + " is " + what(node) + ", not a config, so it has no key '"
                    + keys.get(i) + "' (path '" + path + "')");
        }
        if (node.dictContent() == null && node.listContent() == null) {
            throw new NoSuchElementException(describe(keys, i) + " is " + what(node) + ", so it has no key '"
                    + keys.get(i) + "' (path '" + path + "')");
        }
    }

    /**
     * The child of a config with content under {@code keys[i]}: a dict key matching the text (an
     * int or bool key matches its Python spelling), or a list index in range.
     */
    private static Located locate(OmegaConfNode container, List<String> keys, int i) {
        String segment = keys.get(i);
        Map<Object, Object> dict = container.dictContent();
        if (dict != null) {
            Object key = matchKey(dict, segment);
            return new Located(key, key == null ? null : childNode(dict.get(key), keys, i));
        }
        List<Object> list = container.listContent();
        if (segment.matches("\\d{1,9}") && Integer.parseInt(segment) < list.size()) {
            long index = Integer.parseInt(segment);
            return new Located(index, childNode(list.get((int) index), keys, i));
        }
        return new Located(null, null);
    }

    private static Object matchKey(Map<Object, Object> dict, String segment) {
        if (dict.containsKey(segment)) {
            return segment;
        }
        for (Object key : dict.keySet()) {
            if ((key instanceof Long || key instanceof Boolean) && OmegaConfNode.repr(key).equals(segment)) {
                return key;
            }
        }
        return null;
    }

    private static OmegaConfNode childNode(Object value, List<String> keys, int i) {
        OmegaConfNode node = OmegaConfNode.read(value);
        if (node == null) {
            throw new IllegalStateException(where(keys, i + 1) + " is " + PythonTypes.name(value) + ", not an OmegaConf node");
        }
        return node;
    }

    private static NoSuchElementException notFound(OmegaConfNode container, List<String> keys, int i, String path) {
        String segment = keys.get(i);
        Map<Object, Object> dict = container.dictContent();
        if (dict != null) {
            return new NoSuchElementException("no key '" + segment + "' in " + describe(keys, i) + " (path '" + path
                    + "'); its keys are " + dict.keySet());
        }
        return new NoSuchElementException("no element '" + segment + "' in the list " + describe(keys, i) + " of "
                + container.listContent().size() + " elements (path '" + path + "')");
    }

    // ---------------------------------------------------------------- values

    private static Object valueOf(OmegaConfNode node) {
        if (node.isContainer() && (node.dictContent() != null || node.listContent() != null)) {
            return new OmegaConfView(node);
        }
        return node.rawValue();
    }

    private <T> T typed(String path, Class<T> type, String expected) {
        return typed(path, get(path), type, expected);
    }

    private <T> T typed(String path, Object value, Class<T> type, String expected) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(describe(path) + " holds " + (value instanceof OmegaConfView ? "a config"
                    : PythonTypes.name(value) + " " + OmegaConfNode.repr(value)) + ", not " + expected);
        }
        return type.cast(value);
    }

    private static Object plain(OmegaConfNode node) {
        Map<Object, Object> dict = node.dictContent();
        if (dict != null) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            dict.forEach((key, child) -> copy.put(key, plain(OmegaConfNode.read(child))));
            return copy;
        }
        List<Object> list = node.listContent();
        if (list != null) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(child -> copy.add(plain(OmegaConfNode.read(child))));
            return copy;
        }
        return node.rawValue();
    }

    // ---------------------------------------------------------------- messages

    private static String what(OmegaConfNode node) {
        if (node.isContainer()) {
            Object content = node.content();
            return (content == null ? "None" : OmegaConfNode.MISSING.equals(content) ? "missing ('???')"
                    : OmegaConfNode.isInterpolation(content) ? "the interpolation " + OmegaConfNode.repr(content)
                    + " (ckpt does not resolve interpolations)" : OmegaConfNode.repr(content)) + " (a " + node.className() + ")";
        }
        return "a value (" + node.className() + " " + OmegaConfNode.repr(node.rawValue()) + ")";
    }

    private static String structuredClass(OmegaConfNode node) {
        return typeName(node.objectType());
    }

    private static String typeName(Object type) {
        return type instanceof PyGlobal g ? g.path() : PythonTypes.name(type);
    }

    /** {@code 'model.layers'} for the first {@code count} keys, or "the top level". */
    private static String describe(List<String> keys, int count) {
        return count == 0 ? "the top level" : "'" + String.join(".", keys.subList(0, count)) + "'";
    }

    private static String describe(String path) {
        return path.isEmpty() ? "the top level" : "'" + path + "'";
    }

    private static String where(List<String> keys, int count) {
        return count == 0 ? "the config" : "'" + String.join(".", keys.subList(0, count)) + "'";
    }

    private static String where(String path) {
        return path.isEmpty() ? "the config" : "'" + path + "'";
    }

    @Override
    public String toString() {
        if (root.dictContent() != null) {
            return root.className() + root.dictContent().keySet();
        }
        if (root.listContent() != null) {
            return root.className() + "(" + root.listContent().size() + " elements)";
        }
        return root.className() + "(" + OmegaConfNode.repr(root.content()) + ")";
    }

    /** Key paths: keys separated by dots, a list index also as {@code [i]}. */
    static final class ConfigPath {
        private ConfigPath() {
        }

        static List<String> split(String path) {
            List<String> keys = new ArrayList<>();
            if (path.isEmpty()) {
                return keys;
            }
            StringBuilder key = new StringBuilder();
            boolean afterBracket = false;
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c == '.') {
                    if (!afterBracket) {
                        keys.add(finish(key, path, i));
                    }
                    afterBracket = false;
                    if (i == path.length() - 1) {
                        throw new IllegalArgumentException("empty key at the end of path '" + path + "'");
                    }
                } else if (c == '[') {
                    if (!afterBracket && i > 0) {
                        keys.add(finish(key, path, i));
                    }
                    int close = path.indexOf(']', i);
                    if (close < 0) {
                        throw new IllegalArgumentException("unclosed '[' at offset " + i + " of path '" + path + "'");
                    }
                    keys.add(finish(new StringBuilder(path.substring(i + 1, close)), path, i + 1));
                    i = close;
                    afterBracket = true;
                } else if (afterBracket) {
                    throw new IllegalArgumentException("expected '.' or '[' after ']' at offset " + i + " of path '" + path + "'");
                } else {
                    key.append(c);
                }
            }
            if (!afterBracket) {
                keys.add(finish(key, path, path.length()));
            }
            return keys;
        }

        private static String finish(StringBuilder key, String path, int offset) {
            if (key.length() == 0) {
                throw new IllegalArgumentException("empty key at offset " + offset + " of path '" + path + "'");
            }
            String text = key.toString();
            key.setLength(0);
            return text;
        }
    }
}
