package dev.ckpt.pickle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance of a class that is not a Python builtin, kept as data: how it was built (the
 * callable or class and its arguments), then what was added to it (list items, dict items) and
 * its state. Nothing is resolved or run; the writer builds it again the same way.
 *
 * <p>{@code collections.OrderedDict} (torch's {@code state_dict}) is one: its entries are
 * {@link #dictItems()} and attributes such as {@code _metadata} are its {@link #state()}.
 */
public final class PyObject {
    /** The opcode family that built the object. */
    public enum Construction {
        /** {@code callable(*args)} — REDUCE. */
        REDUCE,
        /** {@code cls.__new__(cls, *args)} — NEWOBJ. */
        NEWOBJ,
        /** {@code cls.__new__(cls, *args, **kwargs)} — NEWOBJ_EX. */
        NEWOBJ_EX,
        /** Protocol 0/1 instance creation (INST, OBJ): {@code cls(*args)}, or bare when there are none. */
        INSTANTIATE
    }

    private static final Object NO_STATE = new Object();

    private final Construction construction;
    private Object callable;
    private PyTuple args;
    private Object kwargs;
    private Object state = NO_STATE;
    private Object stateSetter;
    private List<Object> listItems;
    private Map<Object, Object> dictItems;

    public PyObject(Construction construction, Object callable, PyTuple args) {
        this(construction, callable, args, null);
    }

    public PyObject(Construction construction, Object callable, PyTuple args, Object kwargs) {
        this.construction = construction;
        this.callable = callable;
        this.args = args;
        this.kwargs = kwargs;
    }

    /** {@code cls.__new__(cls)} then BUILD state: what the default {@code __reduce_ex__(2)} pickles. */
    public static PyObject newInstance(PyGlobal cls, Object state) {
        PyObject object = new PyObject(Construction.NEWOBJ, cls, PyTuple.of());
        object.setState(state);
        return object;
    }

    public Construction construction() {
        return construction;
    }

    /** The callable for REDUCE, the class for every other construction. */
    public Object callable() {
        return callable;
    }

    public void setCallable(Object callable) {
        this.callable = callable;
    }

    public PyTuple args() {
        return args;
    }

    public void setArgs(PyTuple args) {
        this.args = args;
    }

    /** The keyword arguments of NEWOBJ_EX (normally a map), else null. */
    public Object kwargs() {
        return kwargs;
    }

    /**
     * The Python class of the instance when it can be told without running anything: the class
     * of NEWOBJ/NEWOBJ_EX/INST/OBJ, the first argument of {@code copyreg._reconstructor} and
     * {@code copyreg.__newobj__}, else the REDUCE callable itself (normally a class). Null when
     * that is not a global reference.
     */
    public PyGlobal pythonClass() {
        Object cls = callable;
        if (construction == Construction.REDUCE && callable instanceof PyGlobal g && isClassMaker(g) && !args.isEmpty()) {
            cls = args.get(0);
        }
        return cls instanceof PyGlobal global ? global : null;
    }

    private static boolean isClassMaker(PyGlobal g) {
        return g.module().equals("copyreg") && (g.name().equals("_reconstructor") || g.name().equals("__newobj__"));
    }

    /** True when the class of this object was deleted by a relocation. */
    public boolean isPlaceholder() {
        PyGlobal cls = pythonClass();
        return cls != null && cls.isDeleted();
    }

    public boolean hasState() {
        return state != NO_STATE;
    }

    /** The BUILD state (normally the attribute dict), or null when there is none. */
    public Object state() {
        return hasState() ? state : null;
    }

    public void setState(Object state) {
        this.state = state;
    }

    public void clearState() {
        this.state = NO_STATE;
    }

    /**
     * The callable that applies the state instead of BUILD ({@code state_setter}, the sixth
     * item of {@code __reduce__}), or null.
     */
    public Object stateSetter() {
        return stateSetter;
    }

    public void setStateSetter(Object stateSetter) {
        this.stateSetter = stateSetter;
    }

    /** The state as an attribute map, when it is one (or the dict half of a (dict, slots) pair). */
    @SuppressWarnings("unchecked")
    public Map<Object, Object> attributes() {
        Object s = state();
        if (s instanceof PyTuple pair && pair.size() == 2 && pair.get(0) instanceof Map) {
            s = pair.get(0);
        }
        return s instanceof Map ? (Map<Object, Object>) s : null;
    }

    /** Items added with APPEND/APPENDS (e.g. a list subclass or deque), or null. */
    public List<Object> listItems() {
        return listItems;
    }

    /** Items added with APPEND/APPENDS, created empty when there were none. */
    public List<Object> listItemsForUpdate() {
        if (listItems == null) {
            listItems = new ArrayList<>();
        }
        return listItems;
    }

    /** Items added with SETITEM/SETITEMS (e.g. an OrderedDict's entries), or null. */
    public Map<Object, Object> dictItems() {
        return dictItems;
    }

    /** Items added with SETITEM/SETITEMS, created empty when there were none. */
    public Map<Object, Object> dictItemsForUpdate() {
        if (dictItems == null) {
            dictItems = new LinkedHashMap<>();
        }
        return dictItems;
    }

    @Override
    public String toString() {
        PyGlobal cls = pythonClass();
        return "<" + (cls == null ? "object" : cls.path()) + (isPlaceholder() ? " (deleted)" : "") + ">";
    }
}
