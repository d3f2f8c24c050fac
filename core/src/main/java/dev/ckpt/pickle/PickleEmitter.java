package dev.ckpt.pickle;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One write of a value tree. It makes CPython's C pickler's decisions ({@code save_*} in
 * {@code _pickle.c}) in the same order, which is what makes unmodified trees come out
 * byte-for-byte identical. CPython recurses; this walks an explicit work stack instead, so depth
 * is bounded only by the heap. A work item is either a value to save or a {@link Step}.
 */
final class PickleEmitter {
    private static final int BATCH_SIZE = 1000;
    private static final Object NONE = new Object();
    private static final PyGlobal COPYREG_NEWOBJ = PyGlobal.of("copyreg", "__newobj__");
    private static final PyGlobal GETATTR = PyGlobal.of("builtins", "getattr");
    private static final PyGlobal PARTIAL = PyGlobal.of("functools", "partial");
    /** CPython passes one interned 'latin1' to every bytes reduction, so it is memoized once. */
    private static final String LATIN1 = "latin1";
    static final String PLACEHOLDER_KEY = "__ckpt_placeholder__";

    /** Deferred work: an opcode to write after the values scheduled before it. */
    @FunctionalInterface
    private interface Step {
        void run();
    }

    private final int protocol;
    private final boolean refusePlaceholders;
    private final PickleOutput out = new PickleOutput();
    private final ArrayDeque<Object> work = new ArrayDeque<>();
    private final Map<Object, Integer> memo = new IdentityHashMap<>();
    private final Map<PyGlobal, Integer> globalMemo = new HashMap<>();
    private final Map<Object, Object> inertReplacements = new IdentityHashMap<>();
    private final Map<PyGlobal, Object> inertGlobals = new HashMap<>();
    private final String[] latin1Chars = new String[256];

    private final PickleWriter.Observer observer;

    PickleEmitter(int protocol, boolean refusePlaceholders, PickleWriter.Observer observer) {
        this.protocol = protocol;
        this.refusePlaceholders = refusePlaceholders;
        this.observer = observer;
    }

    byte[] write(Object root) {
        if (protocol >= 2) {
            out.write(Opcode.PROTO.code());
            out.write(protocol);
            if (protocol >= 4) {
                out.startFraming();
            }
        }
        work.push(root == null ? NONE : root);
        while (!work.isEmpty()) {
            Object task = work.pop();
            if (task instanceof Step step) {
                step.run();
            } else {
                save(task == NONE ? null : task);
            }
        }
        op(Opcode.STOP);
        out.commitFrame();
        return out.toByteArray();
    }

    /** Runs the tasks next, in the order given, before anything scheduled earlier. */
    private void schedule(Object... tasks) {
        for (int i = tasks.length - 1; i >= 0; i--) {
            work.push(tasks[i] == null ? NONE : tasks[i]);
        }
    }

    private void schedule(List<Object> tasks) {
        for (int i = tasks.size() - 1; i >= 0; i--) {
            Object task = tasks.get(i);
            work.push(task == null ? NONE : task);
        }
    }

    private void save(Object obj) {
        out.opcodeBoundary();
        if (obj == null) {
            op(Opcode.NONE);
        } else if (obj instanceof Boolean b) {
            saveBool(b);
        } else if (obj instanceof Long || obj instanceof Integer || obj instanceof Short || obj instanceof Byte) {
            saveLong(((Number) obj).longValue());
        } else if (obj instanceof BigInteger big) {
            saveBig(big);
        } else if (obj instanceof Double || obj instanceof Float) {
            saveFloat(((Number) obj).doubleValue());
        } else if (obj instanceof PyPersistentId pid) {
            savePersistent(pid);
        } else if (obj instanceof PyExtension ext) {
            saveExtension(ext);
        } else {
            saveMemoizable(replacePlaceholder(obj));
        }
    }

    private void saveMemoizable(Object obj) {
        Integer index = memoIndex(obj);
        if (index != null) {
            get(index);
        } else if (obj instanceof String s) {
            saveStr(s);
        } else if (obj instanceof byte[] bytes) {
            saveBytes(bytes);
        } else if (obj instanceof PyByteArray array) {
            saveByteArray(array);
        } else if (obj instanceof PyTuple tuple) {
            saveTuple(tuple);
        } else if (obj instanceof PyFrozenSet set) {
            saveFrozenSet(set);
        } else if (obj instanceof List<?> list) {
            saveList(list);
        } else if (obj instanceof Map<?, ?> map) {
            saveDict(map);
        } else if (obj instanceof Set<?> set) {
            saveSet(set);
        } else if (obj instanceof PyGlobal global) {
            saveGlobal(global);
        } else if (obj instanceof PyObject object) {
            saveObject(object);
        } else {
            throw new PickleException("cannot pickle a value of " + PythonTypes.name(obj) + ": " + ValuePrinter.inline(obj));
        }
    }

    // --- scalars ---

    private void saveBool(boolean b) {
        if (protocol >= 2) {
            op(b ? Opcode.NEWTRUE : Opcode.NEWFALSE);
        } else {
            ascii(b ? "I01\n" : "I00\n");
        }
    }

    private void saveLong(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            if (protocol == 0) {
                ascii("I" + v + "\n");
            } else if (v >= 0 && v <= 0xff) {
                op(Opcode.BININT1);
                out.write((int) v);
            } else if (v >= 0 && v <= 0xffff) {
                op(Opcode.BININT2);
                out.write((int) v & 0xff);
                out.write((int) v >> 8);
            } else {
                op(Opcode.BININT);
                out.writeUint4(v);
            }
        } else {
            saveBig(BigInteger.valueOf(v));
        }
    }

    private void saveBig(BigInteger v) {
        if (v.bitLength() < 32) {
            saveLong(v.longValue());
        } else if (protocol >= 2) {
            byte[] encoded = Numbers.encodeLong(v);
            if (encoded.length < 256) {
                op(Opcode.LONG1);
                out.write(encoded.length);
            } else {
                op(Opcode.LONG4);
                out.writeUint4(encoded.length);
            }
            out.write(encoded);
        } else {
            String digits = v.toString();
            if (digits.length() > PickleLimits.DEFAULT.maxIntDigits()) {
                throw new PickleException("an int of " + digits.length() + " digits cannot be written below protocol 2:"
                        + " readers (CPython's int_max_str_digits) refuse text ints over " + PickleLimits.DEFAULT.maxIntDigits() + " digits");
            }
            ascii("L" + digits + "L\n");
        }
    }

    private void saveFloat(double d) {
        if (protocol >= 1) {
            op(Opcode.BINFLOAT);
            long bits = Double.doubleToRawLongBits(d);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (bits >>> 8 * i) & 0xff);
            }
        } else {
            ascii("F" + d + "\n");
        }
    }

    private void saveStr(String s) {
        if (protocol == 0) {
            op(Opcode.UNICODE);
            out.write(TextArguments.rawUnicodeEscapeForPickle(s));
            out.write('\n');
        } else {
            byte[] encoded = SurrogatePassUtf8.encode(s);
            if (encoded.length <= 0xff && protocol >= 4) {
                out.write(new byte[] {(byte) Opcode.SHORT_BINUNICODE.code(), (byte) encoded.length});
                out.write(encoded);
            } else {
                out.writeWithPayload(header(Opcode.BINUNICODE, encoded.length, 4), encoded);
            }
        }
        memoize(s);
    }

    private void saveBytes(byte[] bytes) {
        if (protocol < 3) {
            if (bytes.length == 0) {
                saveReduction(BuiltinValues.BYTES, PyTuple.of(), bytes);
            } else {
                saveReduction(BuiltinValues.CODECS_ENCODE, PyTuple.of(latin1(bytes), LATIN1), bytes);
            }
            return;
        }
        if (bytes.length <= 0xff) {
            out.write(new byte[] {(byte) Opcode.SHORT_BINBYTES.code(), (byte) bytes.length});
            out.write(bytes);
        } else {
            out.writeWithPayload(header(Opcode.BINBYTES, bytes.length, 4), bytes);
        }
        memoize(bytes);
    }

    /** BYTEARRAY8 from protocol 5; below, {@code bytearray.__reduce_ex__}: {@code bytearray(bytes)}. */
    private void saveByteArray(PyByteArray array) {
        byte[] bytes = array.bytes();
        if (protocol >= 5) {
            out.writeWithPayload(header(Opcode.BYTEARRAY8, bytes.length, 8), bytes);
            memoize(array);
        } else if (bytes.length == 0) {
            saveReduction(BuiltinValues.BYTEARRAY, PyTuple.of(), array);
        } else {
            saveReduction(BuiltinValues.BYTEARRAY, PyTuple.of((Object) bytes.clone()), array);
        }
    }

    /** The str CPython decodes from non-empty bytes as Latin-1: its 1-character strs are shared singletons. */
    private String latin1(byte[] bytes) {
        if (bytes.length == 1) {
            int c = bytes[0] & 0xff;
            if (latin1Chars[c] == null) {
                latin1Chars[c] = new String(bytes, StandardCharsets.ISO_8859_1);
            }
            return latin1Chars[c];
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    // --- containers ---

    private void saveTuple(PyTuple tuple) {
        int n = tuple.size();
        if (n == 0) {
            if (protocol >= 1) {
                op(Opcode.EMPTY_TUPLE);
            } else {
                op(Opcode.MARK);
                op(Opcode.TUPLE);
            }
            return;
        }
        List<Object> tasks = new ArrayList<>(n + 1);
        tasks.addAll(tuple);
        if (n <= 3 && protocol >= 2) {
            tasks.add((Step) () -> finishTuple(tuple, n, false));
        } else {
            op(Opcode.MARK);
            tasks.add((Step) () -> finishTuple(tuple, n, true));
        }
        schedule(tasks);
    }

    /** A tuple that reached the memo while its elements were saved is recursive: drop the copy, fetch it. */
    private void finishTuple(PyTuple tuple, int n, boolean marked) {
        Integer index = memo.get(tuple);
        if (index == null) {
            op(marked ? Opcode.TUPLE : n == 1 ? Opcode.TUPLE1 : n == 2 ? Opcode.TUPLE2 : Opcode.TUPLE3);
            memoize(tuple);
            return;
        }
        if (marked && protocol >= 1) {
            op(Opcode.POP_MARK);
        } else {
            for (int i = 0; i < n + (marked ? 1 : 0); i++) {
                op(Opcode.POP);
            }
        }
        get(index);
    }

    private void saveList(List<?> list) {
        if (protocol >= 1) {
            op(Opcode.EMPTY_LIST);
        } else {
            op(Opcode.MARK);
            op(Opcode.LIST);
        }
        memoize(list);
        if (protocol == 0) {
            scheduleGenericBatches(list, Opcode.APPEND, Opcode.APPENDS);
        } else if (list.size() == 1) {
            schedule(list.get(0), step(Opcode.APPEND));
        } else if (!list.isEmpty()) {
            scheduleExactBatches(list, Opcode.APPENDS, false);
        }
    }

    private void saveDict(Map<?, ?> map) {
        if (protocol >= 1) {
            op(Opcode.EMPTY_DICT);
        } else {
            op(Opcode.MARK);
            op(Opcode.DICT);
        }
        memoize(map);
        if (protocol == 0) {
            scheduleGenericBatches(flatten(map), Opcode.SETITEM, Opcode.SETITEMS);
        } else if (map.size() == 1) {
            Map.Entry<?, ?> entry = map.entrySet().iterator().next();
            schedule(entry.getKey(), entry.getValue(), step(Opcode.SETITEM));
        } else if (!map.isEmpty()) {
            scheduleExactBatches(flatten(map), Opcode.SETITEMS, true);
        }
    }

    private void saveSet(Set<?> set) {
        if (protocol < 4) {
            saveReduction(BuiltinValues.SET, PyTuple.of(new ArrayList<>(set)), set);
            return;
        }
        op(Opcode.EMPTY_SET);
        memoize(set);
        if (!set.isEmpty()) {
            scheduleExactBatches(new ArrayList<>(set), Opcode.ADDITEMS, true);
        }
    }

    private void saveFrozenSet(PyFrozenSet set) {
        if (protocol < 4) {
            saveReduction(BuiltinValues.FROZENSET, PyTuple.of(new ArrayList<>(set)), set);
            return;
        }
        op(Opcode.MARK);
        List<Object> tasks = new ArrayList<>(set);
        tasks.add((Step) () -> {
            Integer index = memo.get(set);
            if (index != null) {
                op(Opcode.POP_MARK);
                get(index);
            } else {
                op(Opcode.FROZENSET);
                memoize(set);
            }
        });
        schedule(tasks);
    }

    private static List<Object> flatten(Map<?, ?> map) {
        List<Object> flat = new ArrayList<>(map.size() * 2);
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            flat.add(entry.getKey());
            flat.add(entry.getValue());
        }
        return flat;
    }

    /**
     * {@code batch_list_exact} / {@code batch_dict_exact} / {@code save_set}: MARK ... OP in
     * batches of 1000 items. Dicts and sets loop while the last batch was full, so a size that
     * is a multiple of 1000 ends with an empty batch; lists do not.
     */
    private void scheduleExactBatches(List<?> flat, Opcode batchOp, boolean emptyFinalBatch) {
        int step = BATCH_SIZE * (batchOp == Opcode.SETITEMS ? 2 : 1);
        List<Object> tasks = new ArrayList<>(flat.size() + 2 * (flat.size() / step + 2));
        int start = 0;
        boolean full;
        do {
            int end = Math.min(flat.size(), start + step);
            tasks.add(step(Opcode.MARK));
            tasks.addAll(flat.subList(start, end));
            tasks.add(step(batchOp));
            full = end - start == step;
            start = end;
        } while (emptyFinalBatch ? full : start < flat.size());
        schedule(tasks);
    }

    // --- globals, objects, references ---

    private void saveGlobal(PyGlobal global) {
        observer.global(global);
        if (protocol >= 4) {
            schedule(global.module(), global.name(), (Step) () -> {
                op(Opcode.STACK_GLOBAL);
                memoize(global);
            });
            return;
        }
        int dot = global.name().lastIndexOf('.');
        if (dot >= 0) {
            // A nested class below protocol 4 is getattr(parent, last name), as CPython writes it.
            PyGlobal parent = PyGlobal.of(global.module(), global.name().substring(0, dot));
            schedule(GETATTR, PyTuple.of(parent, global.name().substring(dot + 1)), (Step) () -> {
                op(Opcode.REDUCE);
                memoize(global);
            });
            return;
        }
        op(Opcode.GLOBAL);
        writeNames(global);
        memoize(global);
    }

    private void writeNames(PyGlobal global) {
        String[] names = protocol < 3 ? Python2Names.instance().toPython2(global.module(), global.name())
                : new String[] {global.module(), global.name()};
        if (names[0].indexOf('\n') >= 0 || names[1].indexOf('\n') >= 0) {
            // GLOBAL and INST end each name at a newline; only STACK_GLOBAL (protocol 4) can carry one.
            throw new PickleException("cannot write " + global + " below protocol 4: its name holds a newline");
        }
        out.write(SurrogatePassUtf8.encode(names[0] + "\n" + names[1] + "\n"));
    }

    private void saveObject(PyObject object) {
        observer.object(object);
        Object callable = object.callable();
        PyTuple args = object.args();
        switch (object.construction()) {
            case REDUCE -> {
                if (protocol >= 2 && COPYREG_NEWOBJ.equals(callable) && !args.isEmpty()) {
                    schedule(args.get(0), PyTuple.copyOf(args.subList(1, args.size())), creation(Opcode.NEWOBJ, object));
                } else {
                    schedule(callable, args, creation(Opcode.REDUCE, object));
                }
            }
            case NEWOBJ -> {
                if (protocol >= 2) {
                    schedule(callable, args, creation(Opcode.NEWOBJ, object));
                } else {
                    schedule(COPYREG_NEWOBJ, prepend(callable, args), creation(Opcode.REDUCE, object));
                }
            }
            case NEWOBJ_EX -> {
                if (protocol >= 4) {
                    schedule(callable, args, object.kwargs(), creation(Opcode.NEWOBJ_EX, object));
                } else {
                    schedule(partialNew(callable, args, object.kwargs()), PyTuple.of(), creation(Opcode.REDUCE, object));
                }
            }
            case INSTANTIATE -> saveInstantiation(object, callable, args);
        }
    }

    /** INST (protocol 0, a plain global class) or OBJ: {@code cls(*args)} with protocol 0/1 semantics. */
    private void saveInstantiation(PyObject object, Object cls, PyTuple args) {
        op(Opcode.MARK);
        List<Object> tasks = new ArrayList<>(args.size() + 2);
        if (protocol == 0 && cls instanceof PyGlobal global && !global.name().contains(".")) {
            tasks.addAll(args);
            tasks.add((Step) () -> {
                op(Opcode.INST);
                writeNames(global);
                afterCreation(object);
            });
        } else {
            tasks.add(cls);
            tasks.addAll(args);
            tasks.add(creation(Opcode.OBJ, object));
        }
        schedule(tasks);
    }

    /** What CPython writes for {@code __newobj_ex__} below protocol 4: {@code partial(cls.__new__, cls, *args, **kwargs)()}. */
    private static PyObject partialNew(Object cls, PyTuple args, Object kwargs) {
        PyObject newMethod = new PyObject(PyObject.Construction.REDUCE, GETATTR, PyTuple.of(cls, "__new__"));
        PyObject partial = new PyObject(PyObject.Construction.REDUCE, PARTIAL, PyTuple.of(newMethod));
        partial.setState(PyTuple.of(newMethod, prepend(cls, args), kwargs, null));
        return partial;
    }

    private static PyTuple prepend(Object first, PyTuple rest) {
        Object[] all = new Object[rest.size() + 1];
        all[0] = first;
        for (int i = 0; i < rest.size(); i++) {
            all[i + 1] = rest.get(i);
        }
        return PyTuple.of(all);
    }

    private Step creation(Opcode opcode, PyObject object) {
        return () -> {
            op(opcode);
            afterCreation(object);
        };
    }

    /** {@code save_reduce}'s tail: memoize, then items, then state; or, if recursion memoized it, fetch it and stop. */
    private void afterCreation(PyObject object) {
        if (memoizeOrRefetch(object)) {
            return; // saving the object inside its own arguments wrote its items and state already
        }
        List<Object> tasks = new ArrayList<>();
        if (object.listItems() != null) {
            addGenericBatches(tasks, object.listItems(), Opcode.APPEND, Opcode.APPENDS);
        }
        if (object.dictItems() != null) {
            addGenericBatches(tasks, flatten(object.dictItems()), Opcode.SETITEM, Opcode.SETITEMS);
        }
        if (object.hasState()) {
            if (object.stateSetter() != null) {
                tasks.add(object.stateSetter());
                tasks.add(object);
                tasks.add(object.state());
                tasks.add(step(Opcode.TUPLE2));
                tasks.add(step(Opcode.REDUCE));
                tasks.add(step(Opcode.POP));
            } else {
                tasks.add(object.state());
                tasks.add(step(Opcode.BUILD));
            }
        }
        schedule(tasks);
    }

    private void scheduleGenericBatches(List<?> flat, Opcode single, Opcode batch) {
        List<Object> tasks = new ArrayList<>();
        addGenericBatches(tasks, flat, single, batch);
        schedule(tasks);
    }

    /**
     * {@code batch_list} / {@code batch_dict}, used for items added to an object after it is
     * built and for every list and dict at protocol 0: one item at a time at protocol 0, else
     * batches of up to 1000 where a batch of one goes without MARK, stopping after a short batch.
     */
    private void addGenericBatches(List<Object> tasks, List<?> flat, Opcode single, Opcode batch) {
        int width = batch == Opcode.SETITEMS ? 2 : 1;
        int step = protocol == 0 ? width : BATCH_SIZE * width;
        int start = 0;
        while (start < flat.size()) {
            int end = Math.min(flat.size(), start + step);
            if (end - start == width) {
                tasks.addAll(flat.subList(start, end));
                tasks.add(step(single));
            } else {
                tasks.add(step(Opcode.MARK));
                tasks.addAll(flat.subList(start, end));
                tasks.add(step(batch));
            }
            if (end - start < step) {
                break;
            }
            start = end;
        }
    }

    /** A builtin value written as a call (bytes below protocol 3, sets below 4, ...), memoized as itself. */
    private void saveReduction(PyGlobal callable, PyTuple args, Object value) {
        schedule(callable, args, (Step) () -> {
            op(Opcode.REDUCE);
            memoizeOrRefetch(value);
        });
    }

    /** Memoizes a value just built; true when saving its arguments already did (recursion) and the copy was swapped for it. */
    private boolean memoizeOrRefetch(Object value) {
        Integer index = memo.get(value);
        if (index != null) {
            op(Opcode.POP);
            get(index);
            return true;
        }
        memoize(value);
        return false;
    }

    private void savePersistent(PyPersistentId pid) {
        observer.persistentId(pid);
        if (protocol >= 1) {
            schedule(pid.id(), step(Opcode.BINPERSID));
        } else if (pid.id() instanceof String s && s.indexOf('\n') < 0 && s.chars().allMatch(c -> c < 128)) {
            ascii("P" + s + "\n");
        } else {
            throw new PickleException("protocol 0 can only write persistent ids that are ASCII strings without newlines, not " + ValuePrinter.inline(pid.id()));
        }
    }

    private void saveExtension(PyExtension ext) {
        if (protocol < 2) {
            throw new PickleException("extension code " + ext.code() + " needs protocol 2 or higher");
        }
        int code = ext.code();
        if (code <= 0xff) {
            op(Opcode.EXT1);
            out.write(code);
        } else if (code <= 0xffff) {
            op(Opcode.EXT2);
            out.write(code & 0xff);
            out.write(code >> 8);
        } else {
            op(Opcode.EXT4);
            out.writeUint4(code);
        }
    }

    // --- placeholders for deleted classes ---

    /**
     * A placeholder is written as an inert plain dict holding everything the original held, so
     * the file loads in any Python and in torch's weights-only loader; strict writers refuse instead.
     */
    private Object replacePlaceholder(Object obj) {
        if (obj instanceof PyObject object && object.isPlaceholder()) {
            refuseIfStrict(object.pythonClass());
            return inertReplacements.computeIfAbsent(object, o -> inert(object.pythonClass(), placeholderContent(object)));
        }
        if (obj instanceof PyGlobal global && global.isDeleted()) {
            refuseIfStrict(global);
            return inertGlobals.computeIfAbsent(global, g -> inert(global, new LinkedHashMap<>()));
        }
        return obj;
    }

    private void refuseIfStrict(PyGlobal deleted) {
        if (refusePlaceholders) {
            throw new PickleException("the tree still holds a placeholder for deleted " + deleted.path()
                    + "; a migration must remove or replace it (strict mode)");
        }
    }

    private static Map<Object, Object> placeholderContent(PyObject object) {
        Map<Object, Object> content = new LinkedHashMap<>();
        if (!object.args().isEmpty()) {
            content.put("args", object.args());
        }
        if (object.kwargs() != null) {
            content.put("kwargs", object.kwargs());
        }
        if (object.listItems() != null) {
            content.put("items", object.listItems());
        }
        if (object.dictItems() != null) {
            content.put("entries", object.dictItems());
        }
        if (object.hasState()) {
            content.put("state", object.state());
        }
        return content;
    }

    /**
     * A placeholder as a plain dict: it loads in any Python, and in torch's weights-only loader
     * (which refuses every class it does not know, types.SimpleNamespace among them).
     */
    private static Map<Object, Object> inert(PyGlobal deleted, Map<Object, Object> content) {
        Map<Object, Object> inert = new LinkedHashMap<>();
        inert.put(PLACEHOLDER_KEY, deleted.path());
        inert.putAll(content);
        return inert;
    }

    // --- memo and raw output ---

    private Integer memoIndex(Object obj) {
        return obj instanceof PyGlobal global ? globalMemo.get(global) : memo.get(obj);
    }

    private void memoize(Object obj) {
        int index = memo.size() + globalMemo.size();
        if (obj instanceof PyGlobal global) {
            globalMemo.put(global, index);
        } else {
            memo.put(obj, index);
        }
        if (protocol >= 4) {
            op(Opcode.MEMOIZE);
        } else if (protocol >= 1) {
            if (index < 256) {
                op(Opcode.BINPUT);
                out.write(index);
            } else {
                op(Opcode.LONG_BINPUT);
                out.writeUint4(index);
            }
        } else {
            ascii("p" + index + "\n");
        }
    }

    private void get(int index) {
        if (protocol >= 1) {
            if (index < 256) {
                op(Opcode.BINGET);
                out.write(index);
            } else {
                op(Opcode.LONG_BINGET);
                out.writeUint4(index);
            }
        } else {
            ascii("g" + index + "\n");
        }
    }

    private static byte[] header(Opcode opcode, long length, int lengthBytes) {
        byte[] header = new byte[1 + lengthBytes];
        header[0] = (byte) opcode.code();
        for (int i = 0; i < lengthBytes; i++) {
            header[1 + i] = (byte) (length >>> 8 * i);
        }
        return header;
    }

    private void op(Opcode opcode) {
        out.write(opcode.code());
    }

    private void ascii(String text) {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Step step(Opcode opcode) {
        return () -> op(opcode);
    }
}
