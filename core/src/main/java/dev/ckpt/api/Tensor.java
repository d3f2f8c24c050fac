package dev.ckpt.api;

import dev.ckpt.torch.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * An immutable in-memory tensor: a dtype, a shape and its elements as contiguous row-major
 * little-endian bytes (so at most 2 GiB). Every operation returns a new contiguous tensor whose
 * bytes are those torch (CPU, 2.x) produces for the same operation on the same input.
 *
 * <p>Layout operations work for any {@link DType}; casts and arithmetic for float64, float32,
 * float16, bfloat16, int64, int32, int16, int8, uint8 and bool.
 *
 * <p>Where torch's own NaN encoding depends on an element's position (its vectorised loops and
 * their scalar tails differ: float64 to bfloat16, bfloat16 arithmetic, float16 to float32 in
 * torch 2.x), a Tensor writes the vectorised loop's NaN.
 */
public final class Tensor {

    private final DType dtype;
    private final long[] shape;
    private final byte[] data;

    private Tensor(DType dtype, long[] shape, byte[] data) {
        this.dtype = dtype;
        this.shape = shape;
        this.data = data;
    }

    // ---- factories ----

    /**
     * A tensor over a copy of {@code data}, which must hold exactly numel * elementSize bytes
     * (torch: {@code torch.frombuffer(data, dtype=dtype).reshape(shape)}).
     */
    public static Tensor of(DType dtype, long[] shape, byte[] data) {
        int expected = Shapes.byteLength(shape, dtype.elementSize());
        if (data.length != expected) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + expected + " bytes, got " + data.length);
        }
        return new Tensor(dtype, shape.clone(), data.clone());
    }

    /** All zeros (torch: {@code torch.zeros(shape, dtype=dtype)}); any dtype. */
    public static Tensor zeros(DType dtype, long... shape) {
        return new Tensor(dtype, shape.clone(), new byte[Shapes.byteLength(shape, dtype.elementSize())]);
    }

    /** All ones (torch: {@code torch.ones(shape, dtype=dtype)}). */
    public static Tensor ones(DType dtype, long... shape) {
        return full(dtype, 1, shape);
    }

    /**
     * Every element {@code value} cast like {@link #to} from float64 (torch: {@code torch.full(shape,
     * value, dtype=dtype)}). Refuses what torch's fills refuse as overflow: for an integer dtype NaN,
     * infinities and values out of range before truncation, for a float dtype finite values beyond
     * its largest (torch 2.x's full rounds those for float16/bfloat16; its F.pad refuses them).
     */
    public static Tensor full(DType dtype, double value, long... shape) {
        Conversions.requireNumeric(dtype, "full");
        long bits = FillValues.bits(dtype, value);
        byte[] data = new byte[Shapes.byteLength(shape, dtype.elementSize())];
        int numel = data.length / dtype.elementSize();
        for (int i = 0; i < numel; i++) {
            Elements.write(dtype, data, i, bits);
        }
        return new Tensor(dtype, shape.clone(), data);
    }

    /**
     * {@code start, start + step, ...} below {@code end} (above, for a negative step); torch:
     * {@code torch.arange}. Float dtypes compute {@code start + i * step} in float64 and cast like
     * {@link #to} (torch's vectorised kernel can differ by an ulp where that is inexact); integer
     * dtypes need integral start and step and wrap around like torch's int64 arithmetic.
     */
    public static Tensor arange(DType dtype, double start, double end, double step) {
        Conversions.requireNumeric(dtype, "arange");
        if (step == 0 || !Double.isFinite(start) || !Double.isFinite(end) || !Double.isFinite(step)
                || (step > 0 ? end < start : end > start)) {
            throw new IllegalArgumentException("arange needs finite bounds and a non-zero step of the sign of end - start,"
                    + " got start " + start + ", end " + end + ", step " + step);
        }
        boolean integral = Conversions.isInteger(dtype) || dtype == DType.BOOL;
        if (integral && (start != Math.rint(start) || step != Math.rint(step))) {
            throw new IllegalArgumentException("arange of " + dtype + " needs an integral start and step, got " + start
                    + " and " + step);
        }
        long length = (long) Math.ceil((end - start) / step);
        byte[] data = new byte[Shapes.byteLength(new long[] {length}, dtype.elementSize())];
        for (int i = 0; i < length; i++) {
            long bits = integral ? Conversions.fromInteger(dtype, (long) start + i * (long) step)
                    : Conversions.fromDouble(dtype, Double.doubleToRawLongBits(start + i * step), i);
            Elements.write(dtype, data, i, bits);
        }
        return new Tensor(dtype, new long[] {length}, data);
    }

    /** {@code 0, 1, ..., end - 1} (torch: {@code torch.arange(end, dtype=dtype)}). */
    public static Tensor arange(DType dtype, long end) {
        return arange(dtype, 0, end, 1);
    }

    /** A float32 tensor of {@code values} (torch: {@code torch.tensor(values, dtype=torch.float32)}). */
    public static Tensor ofFloats(long[] shape, float... values) {
        Tensor result = zerosFor(DType.FLOAT32, shape, values.length);
        for (int i = 0; i < values.length; i++) {
            Elements.write(DType.FLOAT32, result.data, i, Float.floatToRawIntBits(values[i]));
        }
        return result;
    }

    /** A float64 tensor of {@code values}. */
    public static Tensor ofDoubles(long[] shape, double... values) {
        Tensor result = zerosFor(DType.FLOAT64, shape, values.length);
        for (int i = 0; i < values.length; i++) {
            Elements.write(DType.FLOAT64, result.data, i, Double.doubleToRawLongBits(values[i]));
        }
        return result;
    }

    /** An int64 tensor of {@code values}. */
    public static Tensor ofLongs(long[] shape, long... values) {
        Tensor result = zerosFor(DType.INT64, shape, values.length);
        for (int i = 0; i < values.length; i++) {
            Elements.write(DType.INT64, result.data, i, values[i]);
        }
        return result;
    }

    private static Tensor zerosFor(DType dtype, long[] shape, int valueCount) {
        if (Shapes.numel(shape) != valueCount) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + Shapes.numel(shape)
                    + " elements, got " + valueCount + " values");
        }
        return zeros(dtype, shape);
    }

    // ---- accessors ----

    public DType dtype() {
        return dtype;
    }

    /** A copy of the shape (torch: {@code t.shape}). */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions (torch: {@code t.dim()}). */
    public int dim() {
        return shape.length;
    }

    /** The size of dimension {@code dim}, negative counting from the end (torch: {@code t.size(dim)}). */
    public long size(int dim) {
        return shape[Shapes.wrapExistingDim(dim, dim())];
    }

    /** The number of elements (torch: {@code t.numel()}). */
    public long numel() {
        return data.length / dtype.elementSize();
    }

    /** A copy of the row-major little-endian bytes. */
    public byte[] data() {
        return data.clone();
    }

    /** The element at {@code index} (one per dim, negative from the end) as a double, like {@link #toDoubles}. */
    public double doubleAt(long... index) {
        Conversions.requireNumeric(dtype, "doubleAt");
        if (index.length != dim()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " for a " + dim() + "-d tensor");
        }
        long[] strides = Shapes.strides(shape);
        long flat = 0;
        for (int d = 0; d < index.length; d++) {
            flat += strides[d] * wrapIndex(index[d], shape[d], d);
        }
        return Conversions.toDouble(dtype, Elements.read(dtype, data, (int) flat));
    }

    /** Every element as a double in row-major order: exact except int64 beyond 2^53; bool as 0/1. */
    public double[] toDoubles() {
        Conversions.requireNumeric(dtype, "toDoubles");
        double[] values = new double[(int) numel()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Conversions.toDouble(dtype, Elements.read(dtype, data, i));
        }
        return values;
    }

    // ---- layout ----

    /** {@code length} elements of {@code dim} from {@code start} (negative from the end); torch: {@code t.narrow}. */
    public Tensor narrow(int dim, long start, long length) {
        int d = Shapes.wrapExistingDim(dim, dim());
        long begin = start < 0 ? start + shape[d] : start;
        if (begin < 0 || length < 0 || begin > shape[d] - length) {
            throw new IllegalArgumentException("narrow(" + dim + ", " + start + ", " + length + ") out of range for size "
                    + shape[d] + " of " + this);
        }
        return strided(d, begin, length, 1);
    }

    /**
     * Python's {@code t[..., start:end:step]} along {@code dim}: bounds clamp and count negative from
     * the end; {@code Long.MAX_VALUE} as end means to the end. The step must be positive, as in torch.
     */
    public Tensor slice(int dim, long start, long end, long step) {
        int d = Shapes.wrapExistingDim(dim, dim());
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive, got " + step);
        }
        long begin = clampSliceBound(start, shape[d]);
        long stop = Math.max(begin, clampSliceBound(end, shape[d]));
        long count = (stop - begin + step - 1) / step;
        return strided(d, begin, count, step);
    }

    private static long clampSliceBound(long bound, long size) {
        long shifted = bound < 0 ? bound + size : bound;
        return Math.min(Math.max(shifted, 0), size);
    }

    /** The sub-tensor at {@code index} of {@code dim}, which it removes (torch: {@code t.select}). */
    public Tensor select(int dim, long index) {
        int d = Shapes.wrapExistingDim(dim, dim());
        Tensor one = strided(d, wrapIndex(index, shape[d], d), 1, 1);
        return new Tensor(dtype, Shapes.without(shape, d), one.data);
    }

    private static long wrapIndex(long index, long size, int dim) {
        if (index < -size || index >= size) {
            throw new IllegalArgumentException("index " + index + " out of range for size " + size + " of dim " + dim);
        }
        return index < 0 ? index + size : index;
    }

    /** Elements {@code begin, begin + step, ...} ({@code count} of them) of dim {@code d}. */
    private Tensor strided(int d, long begin, long count, long step) {
        long[] strides = Shapes.strides(shape);
        long offset = begin * strides[d];
        long[] viewStrides = strides.clone();
        viewStrides[d] = strides[d] * step;
        long[] viewShape = Shapes.withSize(shape, d, count);
        return gathered(offset, viewShape, viewStrides);
    }

    private Tensor gathered(long offset, long[] viewShape, long[] viewStrides) {
        return new Tensor(dtype, viewShape, StridedCopy.gather(data, dtype.elementSize(), offset, viewShape, viewStrides));
    }

    /** Pieces of {@code size} along {@code dim}, the last possibly smaller (torch: {@code t.split(size, dim)}). */
    public List<Tensor> split(long size, int dim) {
        int d = Shapes.wrapExistingDim(dim, dim());
        long length = shape[d];
        if (size < 0 || (size == 0 && length != 0)) {
            throw new IllegalArgumentException("split size " + size + " cannot split size " + length + " of dim " + dim);
        }
        long pieces = size == 0 ? 1 : Math.max((length + size - 1) / size, 1);
        long[] sizes = new long[Math.toIntExact(pieces)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = Math.min(size, length - i * size);
        }
        return split(sizes, d);
    }

    /** Pieces of the given sizes along {@code dim}, which must add up to its size (torch: {@code t.split(sizes, dim)}). */
    public List<Tensor> split(long[] sizes, int dim) {
        int d = Shapes.wrapExistingDim(dim, dim());
        if (Arrays.stream(sizes).anyMatch(size -> size < 0) || Arrays.stream(sizes).sum() != shape[d]) {
            throw new IllegalArgumentException("split sizes " + Arrays.toString(sizes) + " do not add up to size "
                    + shape[d] + " of dim " + dim);
        }
        List<Tensor> pieces = new ArrayList<>(sizes.length);
        long start = 0;
        for (long size : sizes) {
            pieces.add(strided(d, start, size, 1));
            start += size;
        }
        return pieces;
    }

    /**
     * {@code chunks} pieces of {@code ceil(size / chunks)} along {@code dim}, fewer when they run out,
     * and {@code chunks} empty ones for an empty dim (torch: {@code t.chunk(chunks, dim)}).
     */
    public List<Tensor> chunk(int chunks, int dim) {
        int d = Shapes.wrapExistingDim(dim, dim());
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk expects a positive number of chunks, got " + chunks);
        }
        if (shape[d] == 0) {
            return split(new long[chunks], d);
        }
        return split((shape[d] + chunks - 1) / chunks, d);
    }

    /**
     * The tensors joined along {@code dim}, which all must share dtype, rank and the other sizes
     * (torch: {@code torch.cat}; unlike torch, no type promotion and no skipping of 1-d empty tensors).
     */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        Tensor first = requireSameKind(tensors, "cat");
        int d = Shapes.wrapExistingDim(dim, first.dim());
        long total = 0;
        for (Tensor tensor : tensors) {
            if (tensor.dim() != first.dim() || !Arrays.equals(Shapes.withSize(tensor.shape, d, 0), Shapes.withSize(first.shape, d, 0))) {
                throw new IllegalArgumentException("cat along dim " + dim + " needs equal sizes elsewhere: "
                        + first + " and " + tensor);
            }
            total += tensor.shape[d];
        }
        long[] shape = Shapes.withSize(first.shape, d, total);
        byte[] data = new byte[Shapes.byteLength(shape, first.dtype.elementSize())];
        long outer = Shapes.numel(Arrays.copyOf(shape, d));
        int written = 0;
        for (long block = 0; block < outer; block++) {
            for (Tensor tensor : tensors) {
                int blockBytes = tensor.data.length / (int) outer;
                System.arraycopy(tensor.data, (int) block * blockBytes, data, written, blockBytes);
                written += blockBytes;
            }
        }
        return new Tensor(first.dtype, shape, data);
    }

    /** The tensors, all of one dtype and shape, joined along a new dim {@code dim} (torch: {@code torch.stack}). */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        Tensor first = requireSameKind(tensors, "stack");
        int d = Shapes.wrapDim(dim, first.dim() + 1);
        List<Tensor> unsqueezed = new ArrayList<>(tensors.size());
        for (Tensor tensor : tensors) {
            if (!Arrays.equals(tensor.shape, first.shape)) {
                throw new IllegalArgumentException("stack needs equal shapes: " + first + " and " + tensor);
            }
            unsqueezed.add(new Tensor(tensor.dtype, Shapes.inserted(tensor.shape, d, 1), tensor.data));
        }
        return cat(unsqueezed, d);
    }

    private static Tensor requireSameKind(List<Tensor> tensors, String operation) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException(operation + " needs at least one tensor");
        }
        Tensor first = tensors.get(0);
        for (Tensor tensor : tensors) {
            if (tensor.dtype != first.dtype) {
                throw new IllegalArgumentException(operation + " needs one dtype (no promotion): " + first + " and " + tensor);
            }
        }
        return first;
    }

    /** Dims {@code dim0} and {@code dim1} swapped (torch: {@code t.transpose(dim0, dim1)}, then contiguous). */
    public Tensor transpose(int dim0, int dim1) {
        int a = Shapes.wrapDim(dim0, dim());
        int b = Shapes.wrapDim(dim1, dim());
        int[] order = new int[dim()];
        Arrays.setAll(order, i -> i == a ? b : i == b ? a : i);
        return dim() == 0 ? this : permute(order);
    }

    /** The dims in the order {@code dims} (a permutation, negative allowed); torch: {@code t.permute(dims)}. */
    public Tensor permute(int... dims) {
        if (dims.length != dim()) {
            throw new IllegalArgumentException("permute needs " + dim() + " dims, got " + Arrays.toString(dims));
        }
        long[] strides = Shapes.strides(shape);
        long[] viewShape = new long[dims.length];
        long[] viewStrides = new long[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.wrapExistingDim(dims[i], dim());
            if (seen[d]) {
                throw new IllegalArgumentException("permute dims " + Arrays.toString(dims) + " repeat dim " + d);
            }
            seen[d] = true;
            viewShape[i] = shape[d];
            viewStrides[i] = strides[d];
        }
        return gathered(0, viewShape, viewStrides);
    }

    /** The same elements in {@code shape}, one of whose sizes may be -1 (torch: {@code t.reshape}). */
    public Tensor reshape(long... newShape) {
        long[] resolved = resolveShape(newShape);
        return new Tensor(dtype, resolved, data);
    }

    /** Same as {@link #reshape}: a Tensor is always contiguous, so torch's view never fails here. */
    public Tensor view(long... newShape) {
        return reshape(newShape);
    }

    private long[] resolveShape(long[] newShape) {
        long[] resolved = newShape.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < resolved.length; i++) {
            if (resolved[i] == -1 && inferred < 0) {
                inferred = i;
            } else if (resolved[i] < 0) {
                throw new IllegalArgumentException("invalid shape " + Arrays.toString(newShape));
            } else {
                known *= resolved[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0) {
                throw new IllegalArgumentException("cannot infer the -1 in " + Arrays.toString(newShape) + " for " + numel()
                        + " elements: any size fits");
            }
            resolved[inferred] = numel() / known;
        }
        if (Shapes.numel(resolved) != numel()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(newShape) + " is invalid for " + numel() + " elements");
        }
        return resolved;
    }

    /** This tensor: it is always contiguous (torch: {@code t.contiguous()}). */
    public Tensor contiguous() {
        return this;
    }

    /**
     * {@code before} and {@code after} elements of {@code value} (cast and refused like {@link #full})
     * added along {@code dim}; negative amounts crop. Torch: {@code F.pad(t, ..., mode="constant", value=value)}
     * padding only {@code dim}.
     */
    public Tensor pad(int dim, long before, long after, double value) {
        int d = Shapes.wrapExistingDim(dim, dim());
        long size = shape[d] + before + after;
        if (size < 0) {
            throw new IllegalArgumentException("pad(" + before + ", " + after + ") leaves size " + size + " of dim " + dim);
        }
        long cropFront = Math.max(-before, 0);
        long kept = Math.max(shape[d] - cropFront - Math.max(-after, 0), 0);
        Tensor inner = strided(d, Math.min(cropFront, shape[d]), kept, 1);
        if (before <= 0 && after <= 0) {
            return inner;
        }
        List<Tensor> parts = new ArrayList<>(3);
        parts.add(filled(value, Shapes.withSize(shape, d, Math.max(before, 0))));
        parts.add(inner);
        parts.add(filled(value, Shapes.withSize(shape, d, Math.max(after, 0))));
        return cat(parts, d);
    }

    /** Padding of this dtype: any value for the numeric dtypes, only +0 for the others. */
    private Tensor filled(double value, long[] fillShape) {
        if (Conversions.NUMERIC.contains(dtype)) {
            return full(dtype, value, fillShape);
        }
        if (Double.doubleToRawLongBits(value) != 0) {
            throw new IllegalArgumentException("pad of " + dtype + " supports only the value 0, got " + value);
        }
        return zeros(dtype, fillShape);
    }

    // ---- casts ----

    /**
     * The elements converted to {@code target} (torch: {@code t.to(target)}), with torch's rounding
     * and NaN encodings. Float to integer truncates toward zero and refuses NaN, infinities and
     * values out of range (undefined behaviour in torch), except that uint8 wraps like torch's
     * int64 intermediate.
     */
    public Tensor to(DType target) {
        Conversions.requireNumeric(dtype, "to");
        Conversions.requireNumeric(target, "to");
        if (target == dtype) {
            return this;
        }
        byte[] result = new byte[Shapes.byteLength(shape, target.elementSize())];
        int numel = (int) numel();
        for (int i = 0; i < numel; i++) {
            Elements.write(target, result, i, Conversions.convert(dtype, target, Elements.read(dtype, data, i), i));
        }
        return new Tensor(target, shape, result);
    }

    // ---- arithmetic ----

    /**
     * Torch's {@code t * scalar}: an integer tensor gives float32; float16/bfloat16 multiply in
     * float32 and round, float32 in float32 with the scalar rounded to float, float64 in double.
     * (Torch 1.13 rounded the scalar to float16/bfloat16 first; this follows 2.x.)
     */
    public Tensor mul(double scalar) {
        return ScalarArithmetic.apply(this, ScalarArithmetic.Op.MUL, scalar);
    }

    /**
     * Torch's {@code t + scalar}: as {@link #mul(double)}, except that torch rounds the scalar to
     * float16/bfloat16 first for those dtypes.
     */
    public Tensor add(double scalar) {
        return ScalarArithmetic.apply(this, ScalarArithmetic.Op.ADD, scalar);
    }

    /** Torch's {@code t * scalar}: integer tensors keep their dtype and wrap around; float tensors as {@link #mul(double)}. */
    public Tensor mul(long scalar) {
        return ScalarArithmetic.apply(this, ScalarArithmetic.Op.MUL, scalar);
    }

    /** Torch's {@code t + scalar}: integer tensors keep their dtype and wrap around; float tensors as {@link #add(double)}. */
    public Tensor add(long scalar) {
        return ScalarArithmetic.apply(this, ScalarArithmetic.Op.ADD, scalar);
    }

    /**
     * Each element as a double (int64 beyond 2^53 loses precision), through {@code function}, back
     * to this dtype like {@link #to} from float64.
     */
    public Tensor map(DoubleUnaryOperator function) {
        Conversions.requireNumeric(dtype, "map");
        byte[] result = new byte[data.length];
        int numel = (int) numel();
        for (int i = 0; i < numel; i++) {
            double value = function.applyAsDouble(Conversions.toDouble(dtype, Elements.read(dtype, data, i)));
            Elements.write(dtype, result, i, Conversions.fromDouble(dtype, Double.doubleToRawLongBits(value), i));
        }
        return new Tensor(dtype, shape, result);
    }

    /**
     * The mean along {@code dim}: the exactly rounded float64 sum (Python's {@code math.fsum}) divided
     * by the count, cast to this dtype like {@link #to}; an empty dim gives NaN. Torch's
     * {@code t.mean(dim)} sums in the input precision instead; this is exact on purpose.
     */
    public Tensor mean(int dim, boolean keepdim) {
        Conversions.requireNumeric(dtype, "mean");
        int d = Shapes.wrapDim(dim, dim());
        long length = dim() == 0 ? 1 : shape[d];
        long inner = dim() == 0 ? 1 : Shapes.numel(Arrays.copyOfRange(shape, d + 1, shape.length));
        long[] reduced = dim() == 0 ? shape : keepdim ? Shapes.withSize(shape, d, 1) : Shapes.without(shape, d);
        byte[] result = new byte[Shapes.byteLength(reduced, dtype.elementSize())];
        int outputs = result.length / dtype.elementSize();
        double[] column = new double[Math.toIntExact(length)];
        for (int out = 0; out < outputs; out++) {
            long base = (out / inner) * length * inner + out % inner;
            for (int k = 0; k < column.length; k++) {
                column[k] = Conversions.toDouble(dtype, Elements.read(dtype, data, (int) (base + k * inner)));
            }
            double mean = length == 0 ? Double.NaN : ExactSum.of(column) / length;  // torch's (and Python's) NaN, not x86's 0/0
            Elements.write(dtype, result, out, Conversions.fromDouble(dtype, Double.doubleToRawLongBits(mean), out));
        }
        return new Tensor(dtype, reduced, result);
    }

    /** The bytes themselves, not a copy, for this package's helpers (which never change them). */
    byte[] bytes() {
        return data;
    }

    /** A tensor over {@code data} itself, for this package's helpers. */
    static Tensor wrap(DType dtype, long[] shape, byte[] data) {
        return new Tensor(dtype, shape, data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor && ((Tensor) other).dtype == dtype && Arrays.equals(((Tensor) other).shape, shape)
                && Arrays.equals(((Tensor) other).data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    /** For example {@code Tensor(torch.float32, [2, 3])}. */
    @Override
    public String toString() {
        return "Tensor(" + dtype + ", " + Arrays.toString(shape) + ")";
    }
}
