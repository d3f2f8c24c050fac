package dev.ckpt.torch;

import dev.ckpt.pickle.PyByteArray;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.pickle.PythonTypes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A numpy array (or numpy scalar) in a checkpoint's value tree, read from the call numpy pickles
 * for it, and changed in place:
 *
 * <ul>
 * <li>an array: {@code numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), b'b')} then BUILD
 * with state {@code (1, shape, dtype, is_fortran, data)} (protocols 0-4);</li>
 * <li>an array at protocol 5: {@code numpy.core.numeric._frombuffer(buffer, dtype, shape, order)};</li>
 * <li>a scalar such as {@code numpy.float32(1.5)}: {@code numpy.core.multiarray.scalar(dtype, data)}.</li>
 * </ul>
 *
 * Numpy 2 writes {@code numpy._core} where numpy 1 writes {@code numpy.core}; both are read. The
 * dtype is {@code numpy.dtype('f4', False, True)} with BUILD state
 * {@code (3, '<', None, None, None, -1, -1, 0)}.
 *
 * <p>Elements are always exchanged in row-major (C) order, as {@code a.flatten()} gives them,
 * whatever order the array is stored in. Object arrays (dtype {@code O}) can be inspected
 * (dtype, shape) but their elements are Python objects, not bytes: data access refuses them.
 */
public final class NumpyArrayView {
    private static final List<String> CORE_PACKAGES = List.of("numpy.core", "numpy._core");
    private static final PyGlobal RECONSTRUCT = PyGlobal.of("numpy.core.multiarray", "_reconstruct");
    private static final PyGlobal NDARRAY = PyGlobal.of("numpy", "ndarray");
    private static final String LAYOUT = "a numpy array pickles as numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), b'b')"
            + " with BUILD state (version, shape, dtype, is_fortran, data)";

    private enum Form {
        /** {@code _reconstruct(cls, (0,), b'b')} + BUILD state. */
        RECONSTRUCT,
        /** {@code _frombuffer(buffer, dtype, shape, order)}. */
        FROMBUFFER,
        /** {@code scalar(dtype, data)}. */
        SCALAR
    }

    private final PyObject value;
    private final Form form;

    private NumpyArrayView(PyObject value, Form form) {
        this.value = value;
        this.form = form;
    }

    /** True when the value is a pickled numpy array or numpy scalar this view understands. */
    public static boolean isArray(Object value) {
        return formOf(value) != null;
    }

    /**
     * The view of a pickled numpy array or scalar.
     *
     * @throws IllegalArgumentException naming what the value is when it is not one
     */
    public static NumpyArrayView of(Object value) {
        Form form = formOf(value);
        if (form == null) {
            String what = value instanceof PyObject object && object.callable() instanceof PyGlobal fn
                    ? PythonTypes.name(value) + " built by " + fn.path()
                    : PythonTypes.name(value);
            throw new IllegalArgumentException("not a numpy array or numpy scalar: " + what + " (" + LAYOUT + ")");
        }
        return new NumpyArrayView((PyObject) value, form);
    }

    private static Form formOf(Object value) {
        if (!(value instanceof PyObject object) || object.construction() != PyObject.Construction.REDUCE
                || !(object.callable() instanceof PyGlobal fn)) {
            return null;
        }
        PyTuple args = object.args();
        if (isCore(fn, "multiarray", "_reconstruct") && args.size() == 3 && args.get(0) instanceof PyGlobal
                && object.state() instanceof PyTuple state && isArrayState(state)) {
            return Form.RECONSTRUCT;
        }
        if (isCore(fn, "numeric", "_frombuffer") && args.size() == 4 && isBuffer(args.get(0))
                && NumpyDType.isDType(args.get(1)) && isShape(args.get(2)) && args.get(3) instanceof String) {
            return Form.FROMBUFFER;
        }
        if (isCore(fn, "multiarray", "scalar") && args.size() == 2 && NumpyDType.isDType(args.get(0))) {
            return Form.SCALAR;
        }
        return null;
    }

    private static boolean isCore(PyGlobal fn, String module, String name) {
        return fn.name().equals(name) && CORE_PACKAGES.stream().anyMatch(p -> fn.module().equals(p + "." + module));
    }

    /** {@code (version, shape, dtype, is_fortran, data)}, or the versionless 4-tuple of old numpy. */
    private static boolean isArrayState(PyTuple state) {
        int v = state.size() - 4;
        return (v == 0 || v == 1 && state.get(0) instanceof Long) && isShape(state.get(v))
                && NumpyDType.isDType(state.get(v + 1)) && state.get(v + 2) instanceof Boolean;
    }

    private static boolean isShape(Object shape) {
        return shape instanceof PyTuple tuple && tuple.stream().allMatch(n -> n instanceof Long size && size >= 0);
    }

    private static boolean isBuffer(Object buffer) {
        return buffer instanceof byte[] || buffer instanceof PyByteArray;
    }

    /** The object in the tree. */
    public PyObject value() {
        return value;
    }

    /** True for a numpy scalar ({@code numpy.float32(1.5)}) rather than an array; its shape is {@code ()}. */
    public boolean isScalar() {
        return form == Form.SCALAR;
    }

    public NumpyDType dtype() {
        return NumpyDType.read(dtypeObject());
    }

    public long[] shape() {
        return switch (form) {
            case RECONSTRUCT -> longs(state().get(stateOffset()));
            case FROMBUFFER -> longs(value.args().get(2));
            case SCALAR -> new long[0];
        };
    }

    /** The number of elements (1 for a scalar or a 0-d array). */
    public long size() {
        return Arrays.stream(shape()).reduce(1, Math::multiplyExact);
    }

    /** True when the elements are stored in column-major (Fortran) order. */
    public boolean isFortranOrder() {
        return switch (form) {
            case RECONSTRUCT -> (Boolean) state().get(stateOffset() + 2);
            case FROMBUFFER -> "F".equals(value.args().get(3));
            case SCALAR -> false;
        };
    }

    /**
     * The elements' bytes in row-major (C) order, each encoded as the dtype says (byte order
     * included), as {@code a.tobytes()} gives them. A copy.
     */
    public byte[] data() {
        NumpyDType dtype = requireBytes("data");
        byte[] stored = storedBytes();
        long[] shape = shape();
        long expected = size() * dtype.itemSize();
        if (stored.length != expected) {
            throw new IllegalStateException("numpy array " + dtype + Arrays.toString(shape) + " needs " + expected
                    + " bytes of data but holds " + stored.length);
        }
        return isFortranOrder() ? fortranToC(stored, shape, dtype.itemSize()) : stored.clone();
    }

    /** The elements in row-major order as doubles: bool, int, unsigned and float dtypes. */
    public double[] toDoubles() {
        NumpyDType dtype = requireBytes("toDoubles");
        requireKind(dtype, "biuf", "toDoubles");
        ByteBuffer buffer = ByteBuffer.wrap(data()).order(dtype.order());
        double[] out = new double[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (dtype.kind()) {
                case 'f' -> readFloat(buffer, dtype.itemSize());
                case 'u' -> unsignedToDouble(readInteger(buffer, dtype.itemSize(), true));
                default -> readInteger(buffer, dtype.itemSize(), dtype.kind() == 'b');
            };
        }
        return out;
    }

    /**
     * The elements in row-major order as longs: bool (0 or 1), int and unsigned dtypes.
     *
     * @throws ArithmeticException for a uint64 element above {@link Long#MAX_VALUE}
     */
    public long[] toLongs() {
        NumpyDType dtype = requireBytes("toLongs");
        requireKind(dtype, "biu", "toLongs (use toDoubles for floats)");
        ByteBuffer buffer = ByteBuffer.wrap(data()).order(dtype.order());
        long[] out = new long[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) {
            out[i] = readInteger(buffer, dtype.itemSize(), dtype.kind() != 'i');
            if (out[i] < 0 && dtype.kind() == 'u') {
                throw new ArithmeticException("element " + i + " of a " + dtype + " array exceeds Long.MAX_VALUE");
            }
        }
        return out;
    }

    /** Replaces the elements, keeping shape and dtype; {@code data} as {@link #data()} returns it. */
    public void setData(byte[] data) {
        setData(shape(), data);
    }

    /**
     * Replaces shape and elements, keeping the dtype; {@code data} in row-major order, encoded as
     * the dtype says. The array is stored in row-major order afterwards.
     */
    public void setData(long[] shape, byte[] data) {
        NumpyDType dtype = requireBytes("setData");
        checkShape(shape);
        long expected = Arrays.stream(shape).reduce(1, Math::multiplyExact) * dtype.itemSize();
        if (data.length != expected) {
            throw new IllegalArgumentException("a " + dtype + " array of shape " + Arrays.toString(shape) + " needs "
                    + expected + " bytes of data, got " + data.length);
        }
        store(shape, data.clone());
    }

    /** Replaces shape and elements of a float array (converted to its dtype, e.g. float32). */
    public void setDoubles(long[] shape, double... values) {
        NumpyDType dtype = requireBytes("setDoubles");
        requireKind(dtype, "f", "setDoubles (use setLongs for bool and integer arrays)");
        setData(shape, encodeDoubles(dtype, values));
    }

    /**
     * Replaces shape and elements of a bool or integer array.
     *
     * @throws IllegalArgumentException for a value the dtype cannot hold
     */
    public void setLongs(long[] shape, long... values) {
        NumpyDType dtype = requireBytes("setLongs");
        requireKind(dtype, "biu", "setLongs (use setDoubles for float arrays)");
        setData(shape, encodeLongs(dtype, values));
    }

    /**
     * A new numpy array pickled as numpy 1.x pickles it (numpy 2 reads that too), from its
     * elements' bytes in row-major order.
     */
    public static PyObject newArray(NumpyDType dtype, long[] shape, byte[] data) {
        if (!dtype.isNumeric()) {
            throw new UnsupportedOperationException("ckpt builds numeric numpy arrays only (bool, int, uint, float, complex), not " + dtype);
        }
        checkShape(shape);
        long expected = Arrays.stream(shape).reduce(1, Math::multiplyExact) * dtype.itemSize();
        if (data.length != expected) {
            throw new IllegalArgumentException("a " + dtype + " array of shape " + Arrays.toString(shape) + " needs "
                    + expected + " bytes of data, got " + data.length);
        }
        PyObject array = new PyObject(PyObject.Construction.REDUCE, RECONSTRUCT, PyTuple.of(NDARRAY, PyTuple.of(0L), new byte[] {'b'}));
        array.setState(PyTuple.of(1L, TensorView.tuple(shape), dtype.toPickled(), false, data.clone()));
        return array;
    }

    /** A new float64 array ({@code <f8}) of the given shape, values in row-major order. */
    public static PyObject ofDoubles(long[] shape, double... values) {
        return newArray(NumpyDType.FLOAT64, shape, encodeDoubles(NumpyDType.FLOAT64, values));
    }

    /** A new float32 array ({@code <f4}). */
    public static PyObject ofFloats(long[] shape, float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(NumpyDType.FLOAT32.order());
        for (float v : values) {
            buffer.putFloat(v);
        }
        return newArray(NumpyDType.FLOAT32, shape, buffer.array());
    }

    /** A new int64 array ({@code <i8}). */
    public static PyObject ofLongs(long[] shape, long... values) {
        return newArray(NumpyDType.INT64, shape, encodeLongs(NumpyDType.INT64, values));
    }

    /** A new int32 array ({@code <i4}). */
    public static PyObject ofInts(long[] shape, int... values) {
        return newArray(NumpyDType.INT32, shape, encodeLongs(NumpyDType.INT32, Arrays.stream(values).asLongStream().toArray()));
    }

    // ---------------------------------------------------------------- the pickled form

    private PyTuple state() {
        return (PyTuple) value.state();
    }

    private int stateOffset() {
        return state().size() - 4;
    }

    private Object dtypeObject() {
        return switch (form) {
            case RECONSTRUCT -> state().get(stateOffset() + 1);
            case FROMBUFFER -> value.args().get(1);
            case SCALAR -> value.args().get(0);
        };
    }

    private Object rawData() {
        return switch (form) {
            case RECONSTRUCT -> state().get(stateOffset() + 3);
            case FROMBUFFER -> value.args().get(0);
            case SCALAR -> value.args().get(1);
        };
    }

    private byte[] storedBytes() {
        Object raw = rawData();
        if (raw instanceof byte[] bytes) {
            return bytes;
        }
        if (raw instanceof PyByteArray array) {
            return array.bytes();
        }
        throw new UnsupportedOperationException("numpy array data is " + PythonTypes.name(raw) + ", not bytes");
    }

    private void store(long[] shape, byte[] data) {
        switch (form) {
            case RECONSTRUCT -> {
                List<Object> state = new ArrayList<>(state());
                int v = stateOffset();
                state.set(v, TensorView.tuple(shape));
                state.set(v + 2, false);
                state.set(v + 3, data);
                value.setState(PyTuple.copyOf(state));
            }
            case FROMBUFFER -> {
                Object buffer = value.args().get(0) instanceof PyByteArray ? new PyByteArray(data) : data;
                value.setArgs(PyTuple.of(buffer, value.args().get(1), TensorView.tuple(shape), "C"));
            }
            case SCALAR -> {
                if (shape.length != 0) {
                    throw new IllegalArgumentException("a numpy scalar has shape (), not " + Arrays.toString(shape)
                            + "; build an array with NumpyArrayView.newArray instead");
                }
                value.setArgs(PyTuple.of(value.args().get(0), data));
            }
        }
    }

    private NumpyDType requireBytes(String operation) {
        NumpyDType dtype = dtype();
        if (dtype.kind() == 'O') {
            throw new UnsupportedOperationException(operation + ": this numpy array has dtype object ('O'): its elements are"
                    + " Python objects held in a list, not raw bytes, and ckpt does not convert them");
        }
        return dtype;
    }

    private static void requireKind(NumpyDType dtype, String kinds, String operation) {
        if (kinds.indexOf(dtype.kind()) < 0) {
            throw new UnsupportedOperationException(operation + " does not take a numpy array of dtype " + dtype);
        }
    }

    private static void checkShape(long[] shape) {
        for (long n : shape) {
            if (n < 0) {
                throw new IllegalArgumentException("numpy shape has a negative dimension: " + Arrays.toString(shape));
            }
        }
    }

    private static long[] longs(Object tuple) {
        return ((List<?>) tuple).stream().mapToLong(n -> (Long) n).toArray();
    }

    /** Reorders elements stored column-major into row-major order. */
    private static byte[] fortranToC(byte[] stored, long[] shape, int itemSize) {
        int count = stored.length / Math.max(itemSize, 1);
        byte[] out = new byte[stored.length];
        int[] index = new int[shape.length];
        for (int c = 0; c < count; c++) {
            long offset = 0;
            long step = 1;
            for (int d = 0; d < shape.length; d++) {
                offset += index[d] * step;
                step *= shape[d];
            }
            System.arraycopy(stored, (int) offset * itemSize, out, c * itemSize, itemSize);
            for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                index[d] = 0;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- element codecs

    private static double readFloat(ByteBuffer buffer, int size) {
        return switch (size) {
            case 2 -> Float16.toFloat(buffer.getShort());
            case 4 -> buffer.getFloat();
            case 8 -> buffer.getDouble();
            default -> throw new UnsupportedOperationException("float" + size * 8 + " elements are not supported");
        };
    }

    private static long readInteger(ByteBuffer buffer, int size, boolean unsigned) {
        return switch (size) {
            case 1 -> unsigned ? buffer.get() & 0xffL : buffer.get();
            case 2 -> unsigned ? buffer.getShort() & 0xffffL : buffer.getShort();
            case 4 -> unsigned ? buffer.getInt() & 0xffffffffL : buffer.getInt();
            case 8 -> buffer.getLong();
            default -> throw new UnsupportedOperationException(size * 8 + "-bit integer elements are not supported");
        };
    }

    private static double unsignedToDouble(long value) {
        return value >= 0 ? value : (double) (value >>> 1) * 2.0 + (value & 1);
    }

    private static byte[] encodeDoubles(NumpyDType dtype, double[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * dtype.itemSize()).order(dtype.order());
        for (double v : values) {
            switch (dtype.itemSize()) {
                case 2 -> buffer.putShort(Float16.fromDouble(v));
                case 4 -> buffer.putFloat((float) v);
                case 8 -> buffer.putDouble(v);
                default -> throw new UnsupportedOperationException("float" + dtype.itemSize() * 8 + " elements are not supported");
            }
        }
        return buffer.array();
    }

    private static byte[] encodeLongs(NumpyDType dtype, long[] values) {
        int size = dtype.itemSize();
        ByteBuffer buffer = ByteBuffer.allocate(values.length * size).order(dtype.order());
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            boolean fits = switch (dtype.kind()) {
                case 'b' -> v == 0 || v == 1;
                case 'u' -> v >= 0 && (size == 8 || v >>> (size * 8) == 0);
                default -> size == 8 || v >> (size * 8 - 1) == 0 || v >> (size * 8 - 1) == -1;
            };
            if (!fits) {
                throw new IllegalArgumentException("value " + v + " at index " + i + " does not fit numpy dtype " + dtype);
            }
            switch (size) {
                case 1 -> buffer.put((byte) v);
                case 2 -> buffer.putShort((short) v);
                case 4 -> buffer.putInt((int) v);
                case 8 -> buffer.putLong(v);
                default -> throw new UnsupportedOperationException(size * 8 + "-bit integer elements are not supported");
            }
        }
        return buffer.array();
    }

    @Override
    public String toString() {
        return (isScalar() ? "numpy scalar(" : "numpy array(") + dtype() + ", shape=" + Arrays.toString(shape())
                + (isFortranOrder() ? ", fortran order" : "") + ")";
    }

    /** IEEE 754 half precision, as numpy's float16. */
    static final class Float16 {
        private Float16() {
        }

        static float toFloat(short bits) {
            int sign = bits >>> 15 & 1;
            int exponent = bits >>> 10 & 0x1f;
            int mantissa = bits & 0x3ff;
            float magnitude;
            if (exponent == 0) {
                magnitude = mantissa * 0x1p-24f;
            } else if (exponent == 31) {
                magnitude = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
            } else {
                magnitude = Math.scalb(1 + mantissa / 1024f, exponent - 15);
            }
            return sign == 1 ? -magnitude : magnitude;
        }

        /** Rounds to the nearest half, ties to even, as numpy's {@code npy_double_to_half}. */
        static short fromDouble(double value) {
            int sign = Double.doubleToRawLongBits(value) < 0 ? 0x8000 : 0;
            double magnitude = Math.abs(value);
            int bits;
            if (Double.isNaN(value)) {
                bits = 0x7e00;
            } else if (magnitude < 0x1p-14) {
                bits = (int) Math.rint(magnitude * 0x1p24);  // subnormal; 1024 carries into the smallest normal
            } else {
                int exponent = Math.getExponent(magnitude);
                int mantissa = (int) Math.rint((Math.scalb(magnitude, -exponent) - 1) * 1024);
                if (mantissa == 1024) {
                    mantissa = 0;
                    exponent++;
                }
                bits = exponent > 15 ? 0x7c00 : (exponent + 15) << 10 | mantissa;
            }
            return (short) (sign | bits);
        }
    }
}
