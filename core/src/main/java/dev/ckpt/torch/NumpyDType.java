package dev.ckpt.torch;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import java.nio.ByteOrder;

/**
 * A numpy element type as {@code dtype.str} spells it: byte order ({@code <} little, {@code >}
 * big, {@code |} not applicable), kind ({@code b} bool, {@code i} int, {@code u} unsigned,
 * {@code f} float, {@code c} complex, {@code U} unicode, {@code S} bytes, {@code V} void or
 * structured, {@code O} object, {@code M}/{@code m} datetime/timedelta) and size in bytes of one
 * element, e.g. {@code <f4}.
 */
public record NumpyDType(char byteOrder, char kind, int itemSize) {
    public static final NumpyDType FLOAT64 = new NumpyDType('<', 'f', 8);
    public static final NumpyDType FLOAT32 = new NumpyDType('<', 'f', 4);
    public static final NumpyDType FLOAT16 = new NumpyDType('<', 'f', 2);
    public static final NumpyDType INT64 = new NumpyDType('<', 'i', 8);
    public static final NumpyDType INT32 = new NumpyDType('<', 'i', 4);
    public static final NumpyDType INT16 = new NumpyDType('<', 'i', 2);
    public static final NumpyDType INT8 = new NumpyDType('|', 'i', 1);
    public static final NumpyDType UINT8 = new NumpyDType('|', 'u', 1);
    public static final NumpyDType BOOL = new NumpyDType('|', 'b', 1);

    private static final PyGlobal DTYPE = PyGlobal.of("numpy", "dtype");
    private static final String NUMERIC_KINDS = "biufc";

    public NumpyDType {
        if ("<>|".indexOf(byteOrder) < 0) {
            throw new IllegalArgumentException("numpy byte order must be '<', '>' or '|', got '" + byteOrder + "'");
        }
        if (itemSize < 0) {
            throw new IllegalArgumentException("numpy item size must not be negative, got " + itemSize);
        }
    }

    /** The type {@code dtype.str} names, e.g. {@code <f4}, {@code >i8}, {@code |b1}, {@code <U2}. */
    public static NumpyDType parse(String str) {
        if (str.length() < 3 || "<>|".indexOf(str.charAt(0)) < 0 || !str.substring(2).matches("\\d{1,9}")) {
            throw new IllegalArgumentException("not a numpy dtype string like '<f4' or '|u1': '" + str + "'");
        }
        char kind = str.charAt(1);
        int count = Integer.parseInt(str.substring(2));
        return new NumpyDType(str.charAt(0), kind, kind == 'U' ? count * 4 : count);
    }

    /** {@code dtype.str}, e.g. {@code <f4} (a unicode type counts characters: {@code <U2}). */
    public String str() {
        return "" + byteOrder + kind + (kind == 'U' ? itemSize / 4 : itemSize);
    }

    /** True for bool, int, unsigned int, float and complex types. */
    public boolean isNumeric() {
        return NUMERIC_KINDS.indexOf(kind) >= 0;
    }

    /** The order of the bytes of one element ({@code |} types have one byte, so either works). */
    public ByteOrder order() {
        return byteOrder == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    @Override
    public String toString() {
        return str();
    }

    /** True when the value is a pickled {@code numpy.dtype}. */
    static boolean isDType(Object value) {
        return value instanceof PyObject object && DTYPE.equals(object.callable())
                && object.construction() == PyObject.Construction.REDUCE
                && !object.args().isEmpty() && object.args().get(0) instanceof String
                && object.state() instanceof PyTuple state && state.size() >= 6 && state.get(1) instanceof String;
    }

    /**
     * Reads a pickled dtype: {@code numpy.dtype('f4', False, True)} with BUILD state
     * {@code (version, byteorder, subarray, names, fields, elsize, alignment, flags)}.
     */
    static NumpyDType read(Object value) {
        if (!isDType(value)) {
            throw new IllegalArgumentException("not a pickled numpy.dtype: " + value);
        }
        PyObject dtype = (PyObject) value;
        String name = (String) dtype.args().get(0);
        PyTuple state = (PyTuple) dtype.state();
        String order = (String) state.get(1);
        if (order.length() != 1 || "<>|".indexOf(order.charAt(0)) < 0) {
            throw new IllegalArgumentException("numpy.dtype('" + name + "') has byte order '" + order + "'; numpy pickles '<', '>' or '|'");
        }
        char kind = name.isEmpty() ? '?' : name.charAt(0);
        int size = name.length() > 1 && name.substring(1).matches("\\d{1,9}") ? Integer.parseInt(name.substring(1)) : 0;
        if (state.get(5) instanceof Long elsize && elsize > 0) {
            size = (int) (long) elsize;  // flexible types (str, bytes, void) carry their size here
        }
        return new NumpyDType(order.charAt(0), kind, size);
    }

    /** The dtype as numpy pickles it (numeric types only). */
    PyObject toPickled() {
        if (!isNumeric()) {
            throw new UnsupportedOperationException("ckpt builds numeric numpy dtypes only (bool, int, uint, float, complex), not " + str());
        }
        char order = itemSize == 1 ? '|' : byteOrder;
        PyObject dtype = new PyObject(PyObject.Construction.REDUCE, DTYPE, PyTuple.of("" + kind + itemSize, false, true));
        dtype.setState(PyTuple.of(3L, String.valueOf(order), null, null, null, -1L, -1L, 0L));
        return dtype;
    }
}
