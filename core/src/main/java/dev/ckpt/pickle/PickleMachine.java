package dev.ckpt.pickle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The unpickling virtual machine for one read. Its whole state is the input, the stack, the
 * marks (stack heights where MARK was executed, CPython's metastack) and the memo. One opcode,
 * one small method; nothing is imported or called, see {@link PythonTypes} for the values built.
 */
final class PickleMachine {
    private final PickleInput in;
    private final PickleLimits limits;
    private final Relocation relocation;
    private final Iterator<byte[]> buffers;

    private Object[] stack = new Object[64];
    private int size;
    private int[] marks = new int[16];
    private int markCount;
    private final List<Object> memo = new ArrayList<>();
    /** Out-of-order memo entries at most: about 64 MB of map entries. */
    private static final int MAX_SPARSE_MEMO = 1_000_000;
    private final Map<Long, Object> sparseMemo = new HashMap<>();

    private int protocol;
    private int opStart;
    private Opcode op;
    private Opcode previousOp;

    private java.util.function.Consumer<PyGlobal> globals = g -> { };

    /** Tells {@code globals} of every class reference the pickle makes, as written (before relocation). */
    PickleMachine observingGlobals(java.util.function.Consumer<PyGlobal> globals) {
        this.globals = globals;
        return this;
    }

    PickleMachine(byte[] data, int start, PickleLimits limits, Relocation relocation, List<byte[]> buffers) {
        this.in = new PickleInput(data, start);
        this.limits = limits;
        this.relocation = relocation;
        this.buffers = buffers == null ? null : buffers.iterator();
    }

    /** Runs to STOP; returns the value, with {@link #end()} just past the STOP opcode. */
    Object run() {
        try {
            while (true) {
                opStart = in.position();
                if (in.atEnd()) {
                    op = null;
                    throw truncated("pickle data was truncated: no STOP opcode");
                }
                int code = in.readUint1();
                op = Opcode.forCode(code);
                if (op == null) {
                    throw fail(String.format("invalid load key 0x%02x: not a pickle opcode", code));
                }
                if (op == Opcode.STOP) {
                    return pop();
                }
                execute(op);
                previousOp = op;
            }
        } catch (PickleInput.Truncated e) {
            throw truncated("pickle data was truncated: needed " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        } catch (PickleException e) {
            if (e.offset() >= 0) {
                throw e;
            }
            throw fail(e.getMessage());
        }
    }

    /** The offset just past the STOP opcode, after {@link #run()} returned. */
    int end() {
        return in.position();
    }

    private void execute(Opcode opcode) {
        switch (opcode) {
            case PROTO -> proto();
            case FRAME -> frame();
            case NONE -> push(null);
            case NEWTRUE -> push(Boolean.TRUE);
            case NEWFALSE -> push(Boolean.FALSE);
            case INT -> loadInt();
            case BININT -> push((long) in.readInt4());
            case BININT1 -> push((long) in.readUint1());
            case BININT2 -> push((long) in.readUint2());
            case LONG -> push(TextArguments.integer(in.readAsciiLine(), limits.maxIntDigits()));
            case LONG1 -> push(in.readLong(in.readUint1()));
            case LONG4 -> push(in.readLong(nonNegative(in.readInt4())));
            case FLOAT -> push(TextArguments.floating(in.readAsciiLine()));
            case BINFLOAT -> push(in.readFloat8());
            case STRING -> push(python2String(TextArguments.quotedString(in.readLine())));
            case BINSTRING -> push(python2String(in.readBytes(nonNegative(in.readInt4()))));
            case SHORT_BINSTRING -> push(python2String(in.readBytes(in.readUint1())));
            case BINBYTES -> push(in.readBytes(in.readUint4()));
            case SHORT_BINBYTES -> push(in.readBytes(in.readUint1()));
            case BINBYTES8 -> push(in.readBytes(in.readUint8()));
            case BYTEARRAY8 -> push(new PyByteArray(in.readBytes(in.readUint8())));
            case NEXT_BUFFER -> nextBuffer();
            case READONLY_BUFFER -> readonlyBuffer();
            case UNICODE -> push(TextArguments.rawUnicodeEscape(in.readLine()));
            case SHORT_BINUNICODE -> push(utf8(in.readUint1()));
            case BINUNICODE -> push(utf8(in.readUint4()));
            case BINUNICODE8 -> push(utf8(in.readUint8()));
            case EMPTY_LIST -> push(new ArrayList<>());
            case EMPTY_DICT -> push(new LinkedHashMap<>());
            case EMPTY_SET -> push(new LinkedHashSet<>());
            case EMPTY_TUPLE -> push(PyTuple.of());
            case LIST -> push(new ArrayList<>(Arrays.asList(popMark())));
            case TUPLE -> push(tuple(popMark()));
            case TUPLE1 -> push(tuple(popN(1)));
            case TUPLE2 -> push(tuple(popN(2)));
            case TUPLE3 -> push(tuple(popN(3)));
            case FROZENSET -> push(frozenset(popMark()));
            case DICT -> dict();
            case APPEND -> append(new Object[] {pop()});
            case APPENDS -> append(popMark());
            case SETITEM -> setItems(popN(2));
            case SETITEMS -> setItems(popMark());
            case ADDITEMS -> addItems(popMark());
            case POP -> popValueOrMark();
            case DUP -> push(peek());
            case MARK -> mark();
            case POP_MARK -> popMark();
            case GET -> push(memoGet(memoIndex(in.readAsciiLine())));
            case BINGET -> push(memoGet(in.readUint1()));
            case LONG_BINGET -> push(memoGet(in.readUint4()));
            case PUT -> memoPut(memoIndex(in.readAsciiLine()));
            case BINPUT -> memoPut(in.readUint1());
            case LONG_BINPUT -> memoPut(in.readUint4());
            case MEMOIZE -> memoPut(memo.size() + sparseMemo.size());
            case EXT1 -> push(extension(in.readUint1()));
            case EXT2 -> push(extension(in.readUint2()));
            case EXT4 -> push(extension(in.readInt4()));
            case GLOBAL -> push(findClass(utf8Line(), utf8Line()));
            case STACK_GLOBAL -> stackGlobal();
            case REDUCE -> reduce();
            case BUILD -> build();
            case INST -> instantiate(findClass(utf8Line(), utf8Line()), popMark());
            case OBJ -> obj();
            case NEWOBJ -> newObj();
            case NEWOBJ_EX -> newObjEx();
            case PERSID -> push(new PyPersistentId(in.readAsciiLine()));
            case BINPERSID -> push(new PyPersistentId(pop()));
            default -> throw fail("unhandled opcode");
        }
    }

    // --- framing and protocol ---

    private void proto() {
        int p = in.readUint1();
        if (p > 5) {
            throw fail("unsupported pickle protocol: " + p);
        }
        protocol = p;
    }

    /** A frame is only a read-ahead hint; its bytes must be present. */
    private void frame() {
        in.require(in.readUint8());
    }

    // --- scalars ---

    private void loadInt() {
        String text = in.readAsciiLine();
        switch (text) {
            case "00" -> push(Boolean.FALSE);
            case "01" -> push(Boolean.TRUE);
            default -> push(TextArguments.integer(text, limits.maxIntDigits()));
        }
    }

    private String utf8(long length) {
        String s = in.readUtf8(length);
        if (s == null) {
            throw fail("string is not valid UTF-8");
        }
        return s;
    }

    private String utf8Line() {
        byte[] line = in.readLine();
        String s = SurrogatePassUtf8.decode(line, 0, line.length);
        if (s == null) {
            throw fail("class reference is not valid UTF-8");
        }
        return s;
    }

    /** Python 2 str, decoded as UTF-8 as torch.load does. */
    private String python2String(byte[] bytes) {
        String s = SurrogatePassUtf8.decode(bytes, 0, bytes.length);
        if (s == null) {
            throw fail("Python 2 string is not valid UTF-8");
        }
        return s;
    }

    private static long nonNegative(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative byte count " + length);
        }
        return length;
    }

    private PyExtension extension(int code) {
        if (code <= 0) {
            throw fail("EXT specifies code <= 0");
        }
        return new PyExtension(code);
    }

    private void nextBuffer() {
        if (buffers == null) {
            throw fail("pickle stream refers to out-of-band data but no buffers were given");
        }
        if (!buffers.hasNext()) {
            throw fail("not enough out-of-band buffers");
        }
        push(new PyByteArray(buffers.next()));
    }

    private void readonlyBuffer() {
        if (!(peek() instanceof PyByteArray buffer)) {
            throw fail("READONLY_BUFFER on a " + PythonTypes.name(peek()));
        }
        stack[size - 1] = buffer.bytes();
    }

    // --- containers ---

    private PyTuple tuple(Object[] items) {
        PyTuple tuple = PyTuple.wrap(items);
        checkNesting(tuple.nesting());
        return tuple;
    }

    private PyFrozenSet frozenset(Object[] items) {
        PyFrozenSet set = PyFrozenSet.copyOf(Arrays.asList(items));
        checkNesting(set.nesting());
        return set;
    }

    private void checkNesting(int nesting) {
        if (nesting > limits.maxNesting()) {
            throw fail("tuples or frozensets nested " + nesting + " deep exceed the limit of " + limits.maxNesting());
        }
    }

    private void dict() {
        Map<Object, Object> map = new LinkedHashMap<>();
        putPairs(map, popMark(), "DICT");
        push(map);
    }

    @SuppressWarnings("unchecked")
    private void append(Object[] items) {
        Object target = peek();
        if (target instanceof PyTuple || target instanceof PyFrozenSet) {
            throw fail("cannot append to an immutable " + PythonTypes.name(target));
        }
        if (target instanceof List) {
            ((List<Object>) target).addAll(Arrays.asList(items));
        } else if (target instanceof PyObject object) {
            object.listItemsForUpdate().addAll(Arrays.asList(items));
        } else {
            throw fail("cannot append to a " + PythonTypes.name(target));
        }
    }

    @SuppressWarnings("unchecked")
    private void setItems(Object[] pairs) {
        Object target = peek();
        if (target instanceof Map) {
            putPairs((Map<Object, Object>) target, pairs, op.name());
        } else if (target instanceof PyObject object) {
            putPairs(object.dictItemsForUpdate(), pairs, op.name());
        } else {
            throw fail("cannot set items on a " + PythonTypes.name(target));
        }
    }

    private void putPairs(Map<Object, Object> map, Object[] pairs, String what) {
        if (pairs.length % 2 != 0) {
            throw fail("odd number of items for " + what);
        }
        for (int i = 0; i < pairs.length; i += 2) {
            PythonHash.requireHashable(pairs[i], "a dict key");
            map.put(pairs[i], pairs[i + 1]);
        }
    }

    @SuppressWarnings("unchecked")
    private void addItems(Object[] items) {
        Object target = peek();
        if (!(target instanceof Set) || target instanceof PyFrozenSet) {
            throw fail("cannot add items to a " + PythonTypes.name(target));
        }
        for (Object item : items) {
            PythonHash.requireHashable(item, "a set element");
            ((Set<Object>) target).add(item);
        }
    }

    // --- classes and objects ---

    private PyGlobal findClass(String module, String name) {
        PyGlobal ref = protocol < 3 ? Python2Names.instance().toPython3(module, name) : PyGlobal.of(module, name);
        globals.accept(ref);
        return relocation.isEmpty() ? ref : relocation.relocate(ref.module(), ref.name());
    }

    private void stackGlobal() {
        Object name = pop();
        Object module = pop();
        if (!(module instanceof String m) || !(name instanceof String n)) {
            throw fail("STACK_GLOBAL requires str");
        }
        push(findClass(m, n));
    }

    private void reduce() {
        PyTuple args = requireTuple(pop(), "REDUCE arguments");
        Object callable = peek();
        Object value = callable instanceof PyGlobal global ? BuiltinValues.fromReduce(global, args) : null;
        if (value instanceof PyFrozenSet set) {
            checkNesting(set.nesting()); // frozenset(list) below protocol 4 nests as deep as FROZENSET
        }
        stack[size - 1] = value != null ? value : new PyObject(PyObject.Construction.REDUCE, callable, args);
    }

    private void newObj() {
        PyTuple args = requireTuple(pop(), "NEWOBJ arguments");
        Object cls = pop();
        push(new PyObject(PyObject.Construction.NEWOBJ, cls, args));
    }

    private void newObjEx() {
        Object kwargs = pop();
        PyTuple args = requireTuple(pop(), "NEWOBJ_EX arguments");
        Object cls = pop();
        if (!(kwargs instanceof Map)) {
            throw fail("NEWOBJ_EX kwargs argument must be a dict, not " + PythonTypes.name(kwargs));
        }
        push(new PyObject(PyObject.Construction.NEWOBJ_EX, cls, args, kwargs));
    }

    private void obj() {
        Object[] items = popMark();
        if (items.length == 0) {
            throw fail("OBJ without a class");
        }
        instantiate(items[0], Arrays.copyOfRange(items, 1, items.length));
    }

    private void instantiate(Object cls, Object[] args) {
        push(new PyObject(PyObject.Construction.INSTANTIATE, cls, tuple(args)));
    }

    @SuppressWarnings("unchecked")
    private void build() {
        Object state = pop();
        Object target = peek();
        if (!(target instanceof PyObject object)) {
            throw fail("BUILD on a " + PythonTypes.name(target) + ", which has no attributes to set");
        }
        if (!object.hasState()) {
            object.setState(state);
        } else if (object.state() instanceof Map && state instanceof Map) {
            // A second BUILD updates the instance dict, as Python's default __setstate__ does.
            ((Map<Object, Object>) object.state()).putAll((Map<Object, Object>) state);
        } else {
            throw fail("a second BUILD on one object is only supported with dict states");
        }
    }

    private PyTuple requireTuple(Object value, String what) {
        if (!(value instanceof PyTuple tuple)) {
            throw fail(what + " must be a tuple, not " + PythonTypes.name(value));
        }
        return tuple;
    }

    // --- stack, marks and memo ---

    private void push(Object value) {
        if (size == stack.length) {
            if (size >= limits.maxStack()) {
                throw fail("stack deeper than the limit of " + limits.maxStack());
            }
            stack = Arrays.copyOf(stack, Math.min(limits.maxStack(), size * 2));
        }
        stack[size++] = value;
    }

    private int fence() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private Object pop() {
        if (size <= fence()) {
            throw fail("unpickling stack underflow");
        }
        Object value = stack[--size];
        stack[size] = null;
        return value;
    }

    private Object peek() {
        if (size <= fence()) {
            throw fail("unpickling stack underflow");
        }
        return stack[size - 1];
    }

    private Object[] popN(int n) {
        if (size - n < fence()) {
            throw fail("unpickling stack underflow");
        }
        Object[] items = Arrays.copyOfRange(stack, size - n, size);
        Arrays.fill(stack, size - n, size, null);
        size -= n;
        return items;
    }

    private void mark() {
        if (markCount == marks.length) {
            if (markCount >= limits.maxMarks()) {
                throw fail("more open MARKs than the limit of " + limits.maxMarks());
            }
            marks = Arrays.copyOf(marks, Math.min(limits.maxMarks(), markCount * 2));
        }
        marks[markCount++] = size;
    }

    private Object[] popMark() {
        if (markCount == 0) {
            throw fail("could not find MARK");
        }
        int base = marks[--markCount];
        Object[] items = Arrays.copyOfRange(stack, base, size);
        Arrays.fill(stack, base, size, null);
        size = base;
        return items;
    }

    /** CPython's POP: drops the top value, or the top mark when no value sits above it. */
    private void popValueOrMark() {
        if (markCount > 0 && marks[markCount - 1] == size) {
            markCount--;
            return;
        }
        Object dropped = pop();
        if (previousOp == Opcode.REDUCE) {
            keepStateSetterCall(dropped);
        }
    }

    /**
     * {@code setter, obj, state, TUPLE2, REDUCE, POP} is how CPython applies a {@code state_setter}:
     * a call made only for its effect on obj. Keep it on obj, or it would be lost.
     */
    private void keepStateSetterCall(Object dropped) {
        if (dropped instanceof PyObject call && call.construction() == PyObject.Construction.REDUCE
                && call.args().size() == 2 && call.args().get(0) instanceof PyObject target
                && !target.hasState() && target.stateSetter() == null) {
            target.setStateSetter(call.callable());
            target.setState(call.args().get(1));
        }
    }

    private long memoIndex(String text) {
        Object index = TextArguments.integer(text, 20);
        if (!(index instanceof Long value) || value < 0) {
            throw fail("memo index out of range: " + text);
        }
        return value;
    }

    private Object memoGet(long index) {
        if (index < memo.size()) {
            return memo.get((int) index);
        }
        Object value = sparseMemo.get(index);
        if (value == null && !sparseMemo.containsKey(index)) {
            throw fail("memo value not found at index " + index);
        }
        return value;
    }

    private void memoPut(long index) {
        Object value = peek();
        if (index < memo.size()) {
            memo.set((int) index, value);
            return;
        }
        if (memo.size() + sparseMemo.size() >= limits.maxMemo()) {
            throw fail("more memo entries than the limit of " + limits.maxMemo());
        }
        if (index == memo.size()) {
            memo.add(value);
            sparseMemo.remove(index);
        } else {
            // A map entry costs ten times a list slot: bounded apart (CPython numbers its memo in order, so real pickles have none)
            if (sparseMemo.size() >= MAX_SPARSE_MEMO) {
                throw fail("more than " + MAX_SPARSE_MEMO + " memo entries out of order (memo index " + index + ")");
            }
            sparseMemo.put(index, value);
        }
    }

    private PickleException fail(String message) {
        return new PickleException(message, opStart, op == null ? null : op.name(), null);
    }

    private PickleException truncated(String message) {
        return new PickleException(message, opStart, op == null ? null : op.name(), null, true);
    }
}
