package dev.ckpt.api;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.pickle.PythonTypes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pickled OmegaConf node, and the nodes OmegaConf 2.2 builds for new values.
 *
 * <p>Every node pickles as {@code cls.__new__(cls)} with BUILD state {@code {'_metadata': m,
 * '_parent': p, '_content': c}} (DictConfig, ListConfig, UnionNode) or {@code {'_metadata': m,
 * '_parent': p, '_val': v}} (AnyNode, IntegerNode, ...), where {@code m} is a
 * {@code omegaconf.base.Metadata} (value nodes) or {@code ContainerMetadata} (containers) with
 * state {@code ref_type, object_type, optional, key, flags, flags_root, resolver_cache} (and
 * {@code key_type, element_type} for containers). A container's content is a dict or list of
 * nodes, or None, {@code '???'} (missing) or an interpolation string.
 */
final class OmegaConfNode {
    enum Kind { DICT, LIST, UNION, VALUE }

    static final PyGlobal DICT_CONFIG = PyGlobal.of("omegaconf.dictconfig", "DictConfig");
    static final PyGlobal LIST_CONFIG = PyGlobal.of("omegaconf.listconfig", "ListConfig");
    static final PyGlobal UNION_NODE = PyGlobal.of("omegaconf.base", "UnionNode");
    static final PyGlobal ANY_NODE = PyGlobal.of("omegaconf.nodes", "AnyNode");
    private static final PyGlobal METADATA = PyGlobal.of("omegaconf.base", "Metadata");
    private static final PyGlobal CONTAINER_METADATA = PyGlobal.of("omegaconf.base", "ContainerMetadata");
    private static final PyGlobal ANY = PyGlobal.of("typing", "Any");
    private static final PyGlobal DEFAULTDICT = PyGlobal.of("collections", "defaultdict");
    private static final PyGlobal DICT = builtin("dict");
    private static final PyGlobal LIST = builtin("list");
    private static final PyGlobal INT = builtin("int");
    /** The node class OmegaConf builds for each builtin element type (its {@code _node_wrap}). */
    private static final Map<PyGlobal, PyGlobal> TYPED_NODES = Map.of(
            INT, node("IntegerNode"), builtin("float"), node("FloatNode"), builtin("bool"), node("BooleanNode"),
            builtin("str"), node("StringNode"), builtin("bytes"), node("BytesNode"));

    static final String MISSING = "???";

    private final PyObject object;
    private final Kind kind;
    private final Map<Object, Object> state;
    private final Map<Object, Object> metadata;

    private OmegaConfNode(PyObject object, Kind kind, Map<Object, Object> state, Map<Object, Object> metadata) {
        this.object = object;
        this.kind = kind;
        this.state = state;
        this.metadata = metadata;
    }

    private static PyGlobal builtin(String name) {
        return PyGlobal.of("builtins", name);
    }

    private static PyGlobal node(String name) {
        return PyGlobal.of("omegaconf.nodes", name);
    }

    /** The node a value is, or null when it is not a pickled OmegaConf node. */
    static OmegaConfNode read(Object value) {
        if (!(value instanceof PyObject object) || object.pythonClass() == null) {
            return null;
        }
        PyGlobal cls = object.pythonClass();
        Kind kind;
        if (cls.equals(DICT_CONFIG)) {
            kind = Kind.DICT;
        } else if (cls.equals(LIST_CONFIG)) {
            kind = Kind.LIST;
        } else if (cls.equals(UNION_NODE)) {
            kind = Kind.UNION;
        } else if (cls.module().equals("omegaconf.nodes")) {
            kind = Kind.VALUE;
        } else {
            return null;
        }
        Map<Object, Object> state = object.attributes();
        if (state == null || !(state.get("_metadata") instanceof PyObject meta) || meta.attributes() == null
                || !state.containsKey(kind == Kind.VALUE ? "_val" : "_content")) {
            return null;
        }
        return new OmegaConfNode(object, kind, state, meta.attributes());
    }

    PyObject object() {
        return object;
    }

    Kind kind() {
        return kind;
    }

    boolean isContainer() {
        return kind == Kind.DICT || kind == Kind.LIST;
    }

    /** The Python class name, e.g. {@code DictConfig}, {@code AnyNode}. */
    String className() {
        return object.pythonClass().name();
    }

    /** The content of a container or union node: a map, a list, a node, or a special value. */
    Object content() {
        return state.get("_content");
    }

    @SuppressWarnings("unchecked")
    Map<Object, Object> dictContent() {
        return kind == Kind.DICT && content() instanceof Map<?, ?> map ? (Map<Object, Object>) map : null;
    }

    @SuppressWarnings("unchecked")
    List<Object> listContent() {
        return kind == Kind.LIST && content() instanceof List<?> list ? (List<Object>) list : null;
    }

    /** The value of a value node. */
    Object val() {
        return state.get("_val");
    }

    void setVal(Object value) {
        state.put("_val", value);
    }

    /** The raw value the node stands for: its {@code _val}, or a container's special content. */
    Object rawValue() {
        if (kind == Kind.VALUE) {
            return val();
        }
        if (kind == Kind.UNION) {
            OmegaConfNode inner = read(content());
            return inner == null ? content() : inner.rawValue();
        }
        return content();
    }

    void setKey(Object key) {
        if (metadata.containsKey("key")) {
            metadata.put("key", key);
        }
    }

    /** The containing config ({@code _parent}), or null for a root. */
    OmegaConfNode parent() {
        return read(state.get("_parent"));
    }

    void setParent(PyObject parent) {
        state.put("_parent", parent);
    }

    void setContent(Object content) {
        state.put("_content", content);
    }

    /** A dict key or list index as an interpolation path spells it: the text, or the Python spelling of an int or bool. */
    static String keyText(Object key) {
        return key instanceof String text ? text : repr(key);
    }

    /**
     * A deep copy of this node under {@code parent}, as {@code copy.deepcopy} makes it when
     * OmegaConf assigns a node: new nodes and metadata (flags and resolver cache copied), the
     * same values ({@code _val} is copied shallowly, as OmegaConf does).
     */
    PyObject deepCopy(PyObject parent) {
        Map<Object, Object> copy = new LinkedHashMap<>();
        PyObject result = PyObject.newInstance(object.pythonClass(), copy);
        for (Map.Entry<Object, Object> entry : state.entrySet()) {
            Object value = entry.getValue();
            copy.put(entry.getKey(), switch (String.valueOf(entry.getKey())) {
                case "_parent" -> parent;
                case "_val" -> value;
                case "_content" -> copyContent(value, result);
                default -> copyValue(value);
            });
        }
        return result;
    }

    private static Object copyContent(Object content, PyObject parent) {
        if (content instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, child) -> copy.put(key, read(child).deepCopy(parent)));
            return copy;
        }
        if (content instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(child -> copy.add(read(child).deepCopy(parent)));
            return copy;
        }
        OmegaConfNode inner = read(content);
        return inner == null ? content : inner.deepCopy(parent);
    }

    /** A deep copy of metadata: objects, dicts, lists and tuples copied, everything else (globals, numbers, text) shared. */
    private static Object copyValue(Object value) {
        if (value instanceof PyObject source) {
            PyObject copy = new PyObject(source.construction(), source.callable(), (PyTuple) copyValue(source.args()),
                    copyValue(source.kwargs()));
            if (source.hasState()) {
                copy.setState(copyValue(source.state()));
            }
            copy.setStateSetter(source.stateSetter());
            if (source.listItems() != null) {
                copy.listItemsForUpdate().addAll((List<?>) copyValue(source.listItems()));
            }
            if (source.dictItems() != null) {
                copy.dictItemsForUpdate().putAll((Map<?, ?>) copyValue(source.dictItems()));
            }
            return copy;
        }
        if (value instanceof PyTuple tuple) {
            List<Object> items = new ArrayList<>(tuple.size());
            tuple.forEach(item -> items.add(copyValue(item)));
            return PyTuple.copyOf(items);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(key, copyValue(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(copyValue(item)));
            return copy;
        }
        return value;
    }

    Object refType() {
        return metadata.get("ref_type");
    }

    /** True when the node has an explicit type (OmegaConf's {@code _has_ref_type}): it keeps it on assignment. */
    boolean hasRefType() {
        Object ref = refType();
        return ref != null && !ANY.equals(ref);
    }

    boolean isOptional() {
        return !Boolean.FALSE.equals(metadata.get("optional"));
    }

    /** A dict backed by a structured config class (a dataclass or attrs class), whose keys are fixed. */
    boolean isStructured() {
        Object type = metadata.get("object_type");
        return kind == Kind.DICT && type instanceof PyGlobal cls && !cls.equals(DICT) && !cls.equals(ANY);
    }

    Object objectType() {
        return metadata.get("object_type");
    }

    /** True when new elements get AnyNodes and nested configs as they are ({@code element_type} is {@code typing.Any}). */
    boolean hasUntypedElements() {
        return ANY.equals(elementType());
    }

    Object elementType() {
        Object type = metadata.get("element_type");
        return type == null ? ANY : type;
    }

    /** The key a new dict entry gets: an int for {@code Dict[int, ...]}, else the text. */
    Object newKey(String segment, String where) {
        if (INT.equals(metadata.get("key_type"))) {
            try {
                return Long.parseLong(segment);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + " has int keys; '" + segment + "' is not an int");
            }
        }
        return segment;
    }

    static boolean isInterpolation(Object value) {
        return value instanceof String text && text.contains("${");
    }

    static boolean isSpecial(Object value) {
        return MISSING.equals(value) || isInterpolation(value);
    }

    // ---------------------------------------------------------------- new nodes

    /**
     * The node OmegaConf's {@code _node_wrap} builds for a value assigned under a key of a
     * container whose element type is {@code elementType}: a DictConfig for a map, a ListConfig
     * for a list, an AnyNode for a primitive under {@code typing.Any}, a typed node under a
     * builtin element type.
     */
    static PyObject wrap(Object value, Object key, PyObject parent, Object elementType, String where) {
        if (elementType == null || ANY.equals(elementType)) {
            if (value instanceof Map<?, ?> map) {
                return newDict(map, key, parent, where);
            }
            if (value instanceof List<?> list) {
                return newList(list, key, parent, where);
            }
            return newValueNode(ANY_NODE, ANY, null, true, key, parent, convert(ANY_NODE, value, true, where));
        }
        PyGlobal nodeClass = elementType instanceof PyGlobal type ? TYPED_NODES.get(type) : null;
        if (nodeClass == null) {
            throw new UnsupportedOperationException(where + ": its container has element type " + describeType(elementType)
                    + ", for which ckpt cannot build nodes (it builds them for typing.Any, int, float, bool, str and bytes)");
        }
        return newValueNode(nodeClass, elementType, elementType, false, key, parent, convert(nodeClass, value, false, where));
    }

    private static PyObject newDict(Map<?, ?> map, Object key, PyObject parent, String where) {
        Map<Object, Object> content = new LinkedHashMap<>();
        PyObject dict = newContainer(DICT_CONFIG, containerMetadata(DICT, ANY, key), parent, content);
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object childKey = dictKey(entry.getKey(), where);
            content.put(childKey, wrap(entry.getValue(), childKey, dict, ANY, where + "." + childKey));
        }
        return dict;
    }

    private static PyObject newList(List<?> list, Object key, PyObject parent, String where) {
        List<Object> content = new ArrayList<>();
        PyObject listConfig = newContainer(LIST_CONFIG, containerMetadata(LIST, INT, key), parent, content);
        for (Object item : list) {
            long index = content.size();
            content.add(wrap(item, index, listConfig, ANY, where + "[" + index + "]"));
        }
        return listConfig;
    }

    private static PyObject newContainer(PyGlobal cls, PyObject metadata, PyObject parent, Object content) {
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put("_metadata", metadata);
        state.put("_parent", parent);
        state.put("_content", content);
        return PyObject.newInstance(cls, state);
    }

    private static PyObject newValueNode(PyGlobal cls, Object refType, Object objectType, boolean optional, Object key,
            PyObject parent, Object value) {
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put("_metadata", PyObject.newInstance(METADATA, metadataFields(refType, objectType, optional, key)));
        state.put("_parent", parent);
        state.put("_val", value);
        return PyObject.newInstance(cls, state);
    }

    /** {@code ContainerMetadata(ref_type=Any, object_type, optional=True, key, key_type, element_type=Any)}. */
    private static PyObject containerMetadata(PyGlobal objectType, PyGlobal keyType, Object key) {
        Map<Object, Object> fields = metadataFields(ANY, objectType, true, key);
        fields.put("key_type", keyType);
        fields.put("element_type", ANY);
        return PyObject.newInstance(CONTAINER_METADATA, fields);
    }

    /** The fields of {@code omegaconf.base.Metadata} in declaration order, as its dataclass pickles them. */
    private static Map<Object, Object> metadataFields(Object refType, Object objectType, boolean optional, Object key) {
        Map<Object, Object> fields = new LinkedHashMap<>();
        fields.put("ref_type", refType);
        fields.put("object_type", objectType);
        fields.put("optional", optional);
        fields.put("key", key);
        fields.put("flags", new LinkedHashMap<>());
        fields.put("flags_root", false);
        fields.put("resolver_cache", new PyObject(PyObject.Construction.REDUCE, DEFAULTDICT, PyTuple.of(DICT)));
        return fields;
    }

    private static Object dictKey(Object key, String where) {
        if (key instanceof String || key instanceof Long || key instanceof Boolean) {
            return key;
        }
        if (key instanceof Integer || key instanceof Short || key instanceof Byte) {
            return ((Number) key).longValue();
        }
        throw new IllegalArgumentException(where + ": a config key must be a str, int or bool, not " + PythonTypes.name(key) + " " + key);
    }

    /**
     * The value a node of class {@code nodeClass} stores for {@code value}, as OmegaConf's
     * {@code _set_value} validates it (stricter: no conversion from strings).
     */
    static Object convert(PyGlobal nodeClass, Object value, boolean optional, String where) {
        String cls = nodeClass.name();
        if (value == null) {
            if (!optional) {
                throw new IllegalArgumentException(where + " is a non-optional " + cls + ": it cannot hold None");
            }
            return null;
        }
        if (value instanceof String text && isSpecial(text)) {
            return text;
        }
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException(where + " is " + article(cls) + ": it holds one value, not a "
                    + PythonTypes.name(value) + " (replace an AnyNode or a config to store a nested config)");
        }
        Object converted = switch (cls) {
            case "AnyNode" -> value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof BigInteger
                    || value instanceof Double || value instanceof byte[] ? value : widen(value);
            case "IntegerNode" -> value instanceof Long || value instanceof BigInteger ? value : integer(value);
            case "FloatNode" -> value instanceof Double ? value
                    : value instanceof Number number && !(value instanceof Boolean) ? (Object) number.doubleValue() : null;
            case "BooleanNode" -> value instanceof Boolean ? value : null;
            case "StringNode" -> value instanceof String ? value : null;
            case "BytesNode" -> value instanceof byte[] ? value : null;
            default -> throw new UnsupportedOperationException(where + " is " + article(cls)
                    + ": ckpt sets only None, '???' or an interpolation there, not " + PythonTypes.name(value));
        };
        if (converted == null) {
            throw new IllegalArgumentException(where + " is " + article(cls) + ": it cannot hold " + PythonTypes.name(value) + " "
                    + repr(value) + (cls.equals("AnyNode") ? " (config values are None, bool, int, float, str and bytes)" : ""));
        }
        return converted;
    }

    private static Object widen(Object value) {
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return integer(value);
    }

    private static Object integer(Object value) {
        return value instanceof Integer || value instanceof Short || value instanceof Byte ? (Object) ((Number) value).longValue() : null;
    }

    private static String article(String cls) {
        return ("AEIOU".indexOf(cls.charAt(0)) >= 0 ? "an " : "a ") + cls;
    }

    private static String describeType(Object type) {
        return type instanceof PyGlobal g ? g.path() : PythonTypes.name(type);
    }

    /** A short Python-like rendering of a value, for messages. */
    static String repr(Object value) {
        String text;
        if (value == null) {
            text = "None";
        } else if (value instanceof String s) {
            text = "'" + s + "'";
        } else if (value instanceof Boolean b) {
            text = b ? "True" : "False";
        } else if (value instanceof byte[] bytes) {
            text = "bytes(" + bytes.length + ")";
        } else if (value instanceof PyGlobal global) {
            text = global.path();
        } else {
            text = String.valueOf(value);
        }
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
