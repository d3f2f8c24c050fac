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
 * <p>{@link #rename} and {@link #move} move a dict key's node (a rename keeps its position) and
 * rewrite the interpolations of the whole config that pointed at it; {@link #copy} deep-copies a
 * node as OmegaConf's assignment of a node does; {@link #insert} and {@link #remove} edit a list in
 * place, renumbering the later elements.
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

    /**
     * The list at the path as plain values, maps and lists, unresolved: what
     * {@code OmegaConf.to_container(OmegaConf.select(cfg, path), resolve=False)} gives. A copy:
     * edit the list through the view ({@link #set}, {@link #insert}, {@link #remove}).
     */
    @SuppressWarnings("unchecked")
    public List<Object> getList(String path) {
        OmegaConfNode node = require(path);
        if (node.listContent() == null) {
            throw new IllegalArgumentException(describe(path) + " is " + (node.dictContent() != null ? "a DictConfig" : what(node))
                    + ", not a list");
        }
        return (List<Object>) plain(node);
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
     * Inserts a value (plain, or a Map or List) into the list at the path before {@code index}
     * ({@code size} appends); later elements move down and are renumbered, the ListConfig stays
     * the same object. OmegaConf: {@code cfg.select(path).insert(index, value)}.
     *
     * @throws IllegalArgumentException when the path is not a list or the index is not in 0..size
     */
    public void insert(String path, int index, Object value) {
        OmegaConfNode list = require(path);
        List<Object> content = list.listContent();
        if (content == null) {
            throw new IllegalArgumentException(describe(path) + " is " + what(list) + ", not a list: cannot insert into it");
        }
        if (index < 0 || index > content.size()) {
            throw new IllegalArgumentException("cannot insert at index " + index + " of the list " + describe(path) + " of "
                    + content.size() + " elements: an index is 0 to " + content.size());
        }
        content.add(index, OmegaConfNode.wrap(value, (long) index, list.object(), list.elementType(), where(path) + "[" + index + "]"));
        renumber(content, index + 1);
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
            renumber(list, index);
        }
        return plain(located.node);
    }

    // ---------------------------------------------------------------- moving and copying

    /**
     * Renames the last key of the path in its dict, keeping its position and its node (whose
     * metadata key follows), and rewrites every interpolation of the whole config (the root this
     * view is part of) that references the key or a path under it; see {@link #move} for how.
     * OmegaConf has no rename: the result is {@code OmegaConf.create} of the container with the
     * key renamed in place, the nodes kept.
     *
     * @return the number of interpolations rewritten
     * @throws IllegalArgumentException for a list element, a structured config's key, or a key the dict already has
     */
    public int rename(String path, String newKey) {
        List<String> keys = nonEmpty(path, "rename");
        Entry source = dictEntry(keys, path, "rename");
        if (newKey == null || newKey.isEmpty()) {
            throw new IllegalArgumentException("cannot rename " + describe(path) + " to an empty key");
        }
        Object key = source.container.newKey(newKey, describe(keys, keys.size() - 1));
        if (source.container.dictContent().containsKey(key)) {
            throw new IllegalArgumentException("cannot rename " + describe(path) + " to '" + newKey + "': "
                    + describe(keys, keys.size() - 1) + " already has that key (remove it first)");
        }
        return relocate(source, new Target(source.container, List.of(key)));
    }

    /**
     * Moves the node at {@code from} (a dict key) to the dict key {@code to}, creating missing
     * dicts on the way as {@link #set} does. Under the same dict this is a {@link #rename},
     * keeping the position; elsewhere the key goes at the end of its new dict. The node object
     * moves with its metadata, its {@code _parent} and metadata key updated. OmegaConf:
     * {@code node = cfg._get_node(from)}, {@code del} it, then {@code OmegaConf.update(cfg, to, node)}
     * (which deep-copies it; ckpt keeps the same objects, equal to that copy).
     *
     * <p>Then every interpolation of the whole config that references the moved path or a path
     * under it, as {@code ${a.b}}, {@code ${a.b.c}}, {@code ${a.list[0]}} or {@code ${a.list.0}},
     * embedded in a string, several per string, or as a resolver argument
     * ({@code ${oc.env:X,${a.b}}}), points at the new path; so does a relative one
     * ({@code ${.x}}, {@code ${..a.b}}), resolved against its node's place before the move and
     * written relative to its place after: with the same dots when they still reach a config
     * above the target, else the fewest dots that do (a relative interpolation stays relative).
     * A relative interpolation inside the moved node that reaches outside it is rewritten too.
     * Keys that change are written with dots, the rest as they were ({@code [0]} or {@code .0}). Interpolations through another
     * interpolation ({@code ${alias.x}} with {@code alias: ${a}}) or with an interpolated key are
     * left as written. A key is written only if OmegaConf's grammar can read it (no
     * {@code \{}()[]:.}, space, tab or quotes).
     *
     * @return the number of interpolations rewritten
     * @throws IllegalArgumentException when {@code to} exists, lies inside {@code from}, is under
     *     a list or a structured or typed config, or a rewritten interpolation cannot spell a key
     */
    public int move(String from, String to) {
        Entry source = dictEntry(nonEmpty(from, "move"), from, "move");
        Target target = target(nonEmpty(to, "move"), to, "move", source);
        return relocate(source, target);
    }

    /**
     * Puts a deep copy of the node at {@code from} (a value or a whole config, with its node
     * classes and metadata) at the dict key {@code to}, creating missing dicts on the way.
     * Interpolations in the copy are left as written. OmegaConf:
     * {@code OmegaConf.update(cfg, to, cfg._get_node(from))}, which deep-copies the node.
     *
     * @throws IllegalArgumentException when {@code to} exists or is under a list or a structured or typed config
     */
    public void copy(String from, String to) {
        OmegaConfNode source = require(from);
        Target target = target(nonEmpty(to, "copy"), to, "copy", null);
        place(target, OmegaConfNode.read(source.deepCopy(null)));
    }

    /** A dict entry: the dict, the key as stored, the node, and its keys from the root of the whole config. */
    private record Entry(OmegaConfNode container, Object key, OmegaConfNode node, List<String> keys) {
    }

    /** Where a node goes: the existing dict, and the keys from it (missing dicts, then the key). */
    private record Target(OmegaConfNode container, List<Object> keys) {
    }

    private static List<String> nonEmpty(String path, String verb) {
        List<String> keys = ConfigPath.split(path);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(verb + " needs the path of a key, not the empty path");
        }
        return keys;
    }

    private Entry dictEntry(List<String> keys, String path, String verb) {
        int last = keys.size() - 1;
        OmegaConfNode container = walk(keys, last, path, false);
        requireContent(container, keys, last, path);
        Located located = locate(container, keys, last);
        if (located.node == null) {
            throw notFound(container, keys, last, path);
        }
        if (container.dictContent() == null) {
            throw new IllegalArgumentException("cannot " + verb + " " + describe(path) + ": it is a list element, not a dict key"
                    + " (remove it and insert or set it elsewhere)");
        }
        refuseStructured(container, keys, last, "cannot " + verb + " '" + keys.get(last) + "' of ");
        return new Entry(container, located.key, located.node, absolute(located.node));
    }

    /** The dict a node moved or copied to {@code path} goes into; refuses a path that exists or lies inside {@code moving}. */
    private Target target(List<String> keys, String path, String verb, Entry moving) {
        OmegaConfNode container = root;
        int i = 0;
        for (; i < keys.size(); i++) {
            requireContent(container, keys, i, path);
            Located located = locate(container, keys, i);
            if (located.node == null) {
                break;
            }
            if (i == keys.size() - 1) {
                throw new IllegalArgumentException("cannot " + verb + " to " + describe(path) + ": it exists (remove it first)");
            }
            if (moving != null && located.node.object() == moving.node.object()) {
                throw new IllegalArgumentException("cannot move a node into itself: " + describe(path) + " is inside "
                        + describe(keys, i + 1));
            }
            container = located.node;
        }
        if (container.dictContent() == null) {
            throw new IllegalArgumentException("cannot " + verb + " to " + describe(path) + ": " + describe(keys, i)
                    + " is a list; a node goes under a dict key (insert or set a list element instead)");
        }
        refuseStructured(container, keys, i, "cannot add key '" + keys.get(i) + "' to ");
        boolean sameDict = moving != null && container.object() == moving.container.object();
        if (!sameDict && !container.hasUntypedElements()) {
            throw new UnsupportedOperationException("cannot " + verb + " to " + describe(path) + ": " + describe(keys, i)
                    + " has element type " + typeName(container.elementType()) + "; ckpt puts nodes only into untyped configs");
        }
        List<Object> missing = new ArrayList<>();
        missing.add(container.newKey(keys.get(i), describe(keys, i)));
        missing.addAll(keys.subList(i + 1, keys.size()));
        return new Target(container, missing);
    }

    private static void refuseStructured(OmegaConfNode container, List<String> keys, int i, String what) {
        if (container.isStructured()) {
            throw new IllegalArgumentException(what + describe(keys, i) + ": a structured config of class "
                    + structuredClass(container) + ", whose keys are fixed");
        }
    }

    /** Moves the entry to the target, then rewrites the interpolations that followed it (all computed first). */
    private int relocate(Entry source, Target target) {
        List<String> to = new ArrayList<>(absolute(target.container));
        target.keys.forEach(key -> to.add(OmegaConfNode.keyText(key)));
        Interpolations.Relocation relocation = new Interpolations.Relocation(source.keys, to);
        List<Rewrite> rewrites = rewrites(relocation);
        if (target.container.object() == source.container.object() && target.keys.size() == 1) {
            renameInPlace(source, target.keys.get(0));
        } else {
            source.container.dictContent().remove(source.key);
            place(target, source.node);
        }
        int count = 0;
        for (Rewrite rewrite : rewrites) {
            setInterpolationText(rewrite.site, rewrite.text);
            count += rewrite.count;
        }
        return count;
    }

    private static void renameInPlace(Entry source, Object newKey) {
        Map<Object, Object> dict = source.container.dictContent();
        List<Map.Entry<Object, Object>> entries = new ArrayList<>(dict.entrySet());
        dict.clear();
        entries.forEach(entry -> dict.put(entry.getKey().equals(source.key) ? newKey : entry.getKey(), entry.getValue()));
        source.node.setKey(newKey);
    }

    /** Puts the node under the target's last key, creating the missing dicts before it. */
    private static void place(Target target, OmegaConfNode node) {
        OmegaConfNode container = target.container;
        List<Object> keys = target.keys;
        for (int i = 0; i < keys.size() - 1; i++) {
            PyObject dict = OmegaConfNode.wrap(new LinkedHashMap<>(), keys.get(i), container.object(), container.elementType(),
                    "'" + keys.get(i) + "'");
            container.dictContent().put(keys.get(i), dict);
            container = OmegaConfNode.read(dict);
        }
        Object key = keys.get(keys.size() - 1);
        container.dictContent().put(key, node.object());
        node.setParent(container.object());
        node.setKey(key);
    }

    private static void renumber(List<Object> list, int from) {
        for (int i = from; i < list.size(); i++) {
            OmegaConfNode moved = OmegaConfNode.read(list.get(i));
            if (moved != null) {
                moved.setKey((long) i);
            }
        }
    }

    // ---------------------------------------------------------------- interpolations

    /** A string holding interpolations to replace, and how many of them changed. */
    private record Rewrite(OmegaConfNode site, String text, int count) {
    }

    /** The new text of every interpolation string in the whole config that the relocation changes. */
    private List<Rewrite> rewrites(Interpolations.Relocation relocation) {
        List<Rewrite> rewrites = new ArrayList<>();
        forEachNode(top(), new ArrayList<>(), (node, keys) -> {
            if (!(interpolationText(node) instanceof String text) || !text.contains("${")) {
                return;
            }
            List<String> moved = relocation.map(keys);
            Map.Entry<String, Integer> result = Interpolations.rewrite(text, keys.subList(0, keys.size() - 1),
                    moved.subList(0, moved.size() - 1), relocation, "'" + String.join(".", keys) + "'");
            if (result.getValue() > 0) {
                rewrites.add(new Rewrite(node, result.getKey(), result.getValue()));
            }
        });
        return rewrites;
    }

    private interface NodeVisitor {
        void visit(OmegaConfNode node, List<String> keys);
    }

    /** Visits every node below the container with its keys (list indexes as text), parents first. */
    private static void forEachNode(OmegaConfNode container, List<String> keys, NodeVisitor visitor) {
        Map<Object, Object> dict = container.dictContent();
        List<Object> list = container.listContent();
        List<Map.Entry<Object, Object>> children = new ArrayList<>();
        if (dict != null) {
            children.addAll(dict.entrySet());
        } else if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                children.add(Map.entry((long) i, list.get(i)));
            }
        }
        for (Map.Entry<Object, Object> child : children) {
            OmegaConfNode node = OmegaConfNode.read(child.getValue());
            if (node == null) {
                continue;
            }
            List<String> childKeys = new ArrayList<>(keys);
            childKeys.add(OmegaConfNode.keyText(child.getKey()));
            visitor.visit(node, childKeys);
            if (node.isContainer()) {
                forEachNode(node, childKeys, visitor);
            }
        }
    }

    /** The string a node stands for, when it is one: a value, a container's or a union's content. */
    private static Object interpolationText(OmegaConfNode node) {
        if (node.kind() == OmegaConfNode.Kind.UNION && OmegaConfNode.read(node.content()) != null) {
            return OmegaConfNode.read(node.content()).val();
        }
        return node.kind() == OmegaConfNode.Kind.VALUE ? node.val() : node.content();
    }

    private static void setInterpolationText(OmegaConfNode node, String text) {
        if (node.kind() == OmegaConfNode.Kind.UNION && OmegaConfNode.read(node.content()) != null) {
            OmegaConfNode.read(node.content()).setVal(text);
        } else if (node.kind() == OmegaConfNode.Kind.VALUE) {
            node.setVal(text);
        } else {
            node.setContent(text);
        }
    }

    /** The root of the whole config this view is part of, following {@code _parent}. */
    private OmegaConfNode top() {
        OmegaConfNode node = root;
        while (node.parent() != null) {
            node = node.parent();
        }
        return node;
    }

    /** The keys from the root of the whole config to the node, found by identity in each parent's content. */
    private static List<String> absolute(OmegaConfNode node) {
        List<String> keys = new ArrayList<>();
        for (OmegaConfNode child = node, parent = node.parent(); parent != null; child = parent, parent = parent.parent()) {
            keys.add(0, OmegaConfNode.keyText(keyIn(parent, child)));
        }
        return keys;
    }

    private static Object keyIn(OmegaConfNode parent, OmegaConfNode child) {
        if (parent.dictContent() != null) {
            for (Map.Entry<Object, Object> entry : parent.dictContent().entrySet()) {
                if (entry.getValue() == child.object()) {
                    return entry.getKey();
                }
            }
        } else if (parent.listContent() != null) {
            for (int i = 0; i < parent.listContent().size(); i++) {
                if (parent.listContent().get(i) == child.object()) {
                    return (long) i;
                }
            }
        }
        throw new IllegalStateException("a " + child.className() + " names a " + parent.className()
                + " as its _parent that does not hold it: the config's parent links are broken");
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

    private static final int MAX_PLAIN_DEPTH = 1000;

    private static Object plain(OmegaConfNode node) {
        return plain(node, 0);
    }

    /** Bounded in depth: a hostile file can nest a config (or a config in itself) past any stack. */
    private static Object plain(OmegaConfNode node, int depth) {
        if (depth > MAX_PLAIN_DEPTH) {
            throw new IllegalArgumentException("config nested deeper than " + MAX_PLAIN_DEPTH + " levels (or containing itself)");
        }
        Map<Object, Object> dict = node.dictContent();
        if (dict != null) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            dict.forEach((key, child) -> copy.put(key, plain(OmegaConfNode.read(child), depth + 1)));
            return copy;
        }
        List<Object> list = node.listContent();
        if (list != null) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(child -> copy.add(plain(OmegaConfNode.read(child), depth + 1)));
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

    /**
     * Rewrites the node interpolations of one string after nodes moved, following OmegaConf 2.1+'s
     * grammar: {@code ${path}} anywhere in the text (several per string, {@code \${} escaped), and
     * inside resolver arguments {@code ${name:arg,${path}}}, also in quoted arguments. A path is
     * absolute ({@code a.b[0]}) or relative ({@code .x}: in the containing config, each further
     * dot one config up). A key that is itself an interpolation ({@code ${a.${k}}}) is left as
     * written, as is a string OmegaConf could not parse.
     */
    static final class Interpolations {
        /** Characters a key in an interpolation may hold: OmegaConf's {@code INTER_KEY}. */
        private static final String NOT_IN_KEY = "\\{}()[]:. \t'\"";

        /** A moved subtree: keys from the root before and after. */
        record Relocation(List<String> from, List<String> to) {
            List<String> map(List<String> keys) {
                if (keys.size() < from.size() || !keys.subList(0, from.size()).equals(from)) {
                    return keys;
                }
                List<String> moved = new ArrayList<>(to);
                moved.addAll(keys.subList(from.size(), keys.size()));
                return moved;
            }
        }

        /** A key of a path and whether it was written in brackets. */
        private record Segment(String key, boolean bracket) {
        }

        private final String text;
        private final List<String> baseBefore;
        private final List<String> baseAfter;
        private final Relocation relocation;
        private final String where;
        private int pos;
        private int rewritten;

        private Interpolations(String text, List<String> baseBefore, List<String> baseAfter, Relocation relocation, String where) {
            this.text = text;
            this.baseBefore = baseBefore;
            this.baseAfter = baseAfter;
            this.relocation = relocation;
            this.where = where;
        }

        /** A malformed interpolation: the string is left as written. */
        private static final class Malformed extends RuntimeException {
            Malformed() {
                super(null, null, false, false);
            }
        }

        /**
         * The text with its node interpolations pointing where the relocation moved their targets,
         * for a string in a node whose containing config was at {@code baseBefore} and is now at
         * {@code baseAfter}; and the number of interpolations changed.
         */
        static Map.Entry<String, Integer> rewrite(String text, List<String> baseBefore, List<String> baseAfter,
                Relocation relocation, String where) {
            Interpolations scan = new Interpolations(text, baseBefore, baseAfter, relocation, where);
            try {
                String result = scan.top();
                return Map.entry(result, scan.rewritten);
            } catch (Malformed e) {
                return Map.entry(text, 0);
            }
        }

        private String top() {
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '\\') {
                    int run = pos;
                    while (run < text.length() && text.charAt(run) == '\\') {
                        run++;
                    }
                    boolean escapes = (run - pos) % 2 == 1 && text.startsWith("${", run);
                    out.append(text, pos, escapes ? run + 2 : run);
                    pos = escapes ? run + 2 : run;
                } else if (text.startsWith("${", pos)) {
                    out.append(interpolation());
                } else {
                    out.append(c);
                    pos++;
                }
            }
            return out.toString();
        }

        /** One {@code ${...}} from {@code pos}, rewritten; {@code pos} after it. */
        private String interpolation() {
            pos += 2;
            StringBuilder head = new StringBuilder();
            boolean dynamic = false;
            while (pos < text.length()) {
                if (text.startsWith("${", pos)) {
                    head.append(interpolation());
                    dynamic = true;
                    continue;
                }
                char c = text.charAt(pos++);
                if (c == '}') {
                    String replaced = dynamic ? null : node(head.toString().replace(" ", "").replace("\t", ""));
                    return "${" + (replaced == null ? head : replaced) + "}";
                }
                if (c == ':') {
                    return "${" + head + ":" + arguments() + "}";
                }
                if ("{()'\"\\".indexOf(c) >= 0) {
                    throw new Malformed();
                }
                head.append(c);
            }
            throw new Malformed();
        }

        /** Resolver arguments up to the closing brace, which is consumed. */
        private String arguments() {
            StringBuilder out = new StringBuilder();
            int depth = 0;
            while (pos < text.length()) {
                if (text.startsWith("${", pos)) {
                    out.append(interpolation());
                    continue;
                }
                char c = text.charAt(pos);
                if (c == '\\' && pos + 1 < text.length()) {
                    out.append(text, pos, pos + 2);
                    pos += 2;
                    continue;
                }
                if (c == '\'' || c == '"') {
                    out.append(quoted(c));
                    continue;
                }
                pos++;
                if (c == '}' && depth-- == 0) {
                    return out.toString();
                }
                if (c == '{') {
                    depth++;
                }
                out.append(c);
            }
            throw new Malformed();
        }

        private String quoted(char quote) {
            StringBuilder out = new StringBuilder().append(quote);
            pos++;
            while (pos < text.length()) {
                if (text.startsWith("${", pos)) {
                    out.append(interpolation());
                    continue;
                }
                char c = text.charAt(pos);
                int length = c == '\\' && pos + 1 < text.length() ? 2 : 1;
                out.append(text, pos, pos + length);
                pos += length;
                if (c == quote) {
                    return out.toString();
                }
            }
            throw new Malformed();
        }

        /** The rewritten path of a node interpolation, or null when it stays as written. */
        private String node(String path) {
            int dots = 0;
            while (dots < path.length() && path.charAt(dots) == '.') {
                dots++;
            }
            List<Segment> segments = segments(path.substring(dots));
            int up = dots - 1;
            if (segments == null || up > baseBefore.size()) {
                return null;
            }
            List<Segment> target = new ArrayList<>();
            if (dots > 0) {
                baseBefore.subList(0, baseBefore.size() - up).forEach(key -> target.add(new Segment(key, false)));
            }
            target.addAll(segments);
            List<Segment> moved = moved(target);
            if (moved == target && (dots == 0 || baseAfter.equals(baseBefore))) {
                return null;
            }
            String result = dots == 0 ? spell(moved, 0, "") : relative(moved, up);
            if (result.equals(path)) {
                return null;
            }
            rewritten++;
            return result;
        }

        /** The target after the relocation: keys it changed in dotted form, the rest as written. */
        private List<Segment> moved(List<Segment> target) {
            List<String> keys = target.stream().map(Segment::key).toList();
            List<String> after = relocation.map(keys);
            if (after == keys) {
                return target;
            }
            List<Segment> result = new ArrayList<>();
            List<String> from = relocation.from();
            for (int i = 0; i < relocation.to().size(); i++) {
                String key = relocation.to().get(i);
                result.add(new Segment(key, i < from.size() && from.get(i).equals(key) && target.get(i).bracket()));
            }
            result.addAll(target.subList(from.size(), target.size()));
            return result;
        }

        /** Relative to the new containing config: the same number of dots when they still reach above the target, else the fewest that do. */
        private String relative(List<Segment> target, int up) {
            List<String> keys = target.stream().map(Segment::key).toList();
            int depth = baseAfter.size() - up;
            if (up > baseAfter.size() || depth >= keys.size() || !keys.subList(0, depth).equals(baseAfter.subList(0, depth))) {
                int common = 0;
                while (common < baseAfter.size() && common < keys.size() - 1 && keys.get(common).equals(baseAfter.get(common))) {
                    common++;
                }
                depth = common;
            }
            return spell(target, depth, ".".repeat(baseAfter.size() - depth + 1));
        }

        private String spell(List<Segment> target, int from, String prefix) {
            StringBuilder out = new StringBuilder(prefix);
            for (int i = from; i < target.size(); i++) {
                Segment segment = target.get(i);
                if (!writable(segment.key())) {
                    throw new IllegalArgumentException("cannot write key '" + segment.key() + "' in an interpolation (a key there holds"
                            + " none of \\{}()[]:. tab, space or quotes), needed to rewrite " + OmegaConfNode.repr(text) + " at " + where);
                }
                out.append(segment.bracket() ? "[" + segment.key() + "]" : (i == from ? "" : ".") + segment.key());
            }
            return out.toString();
        }

        private static boolean writable(String key) {
            if (key.isEmpty() || key.contains("${")) {
                return false;
            }
            for (int i = 0; i < key.length(); i++) {
                if (NOT_IN_KEY.indexOf(key.charAt(i)) >= 0) {
                    return false;
                }
            }
            return true;
        }

        /** The keys of a path after its dots, as OmegaConf's {@code split_key} reads them; null for an empty path. */
        private static List<Segment> segments(String path) {
            List<Segment> segments = new ArrayList<>();
            int i = 0;
            while (i < path.length()) {
                char c = path.charAt(i);
                if (c == '[') {
                    int close = path.indexOf(']', i);
                    if (close < 0) {
                        return null;
                    }
                    segments.add(new Segment(path.substring(i + 1, close), true));
                    i = close + 1;
                    continue;
                }
                int start = c == '.' ? i + 1 : i;
                if (c == '.' ? segments.isEmpty() : !segments.isEmpty()) {
                    return null;
                }
                int end = start;
                while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
                    end++;
                }
                if (end == start) {
                    return null;
                }
                segments.add(new Segment(path.substring(start, end), false));
                i = end;
            }
            return segments.isEmpty() ? null : segments;
        }
    }
}
