package dev.ckpt.api;

import dev.ckpt.torch.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

/** Random shapes and element values for the torch property tests, hard cases over-represented. */
final class RandomTensors {

    /** Every numeric dtype, the ones casts and arithmetic support. */
    static final List<DType> NUMERIC = List.of(DType.FLOAT64, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16,
            DType.INT64, DType.INT32, DType.INT16, DType.INT8, DType.UINT8, DType.BOOL);
    /** What the layout tests move: the numeric ones and complex (which torch 1.13 has too). */
    static final List<DType> LAYOUT = List.of(DType.FLOAT64, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16,
            DType.COMPLEX64, DType.COMPLEX128, DType.INT64, DType.INT32, DType.INT16, DType.INT8, DType.UINT8, DType.BOOL);

    private static final long[] SPECIAL_DOUBLES = {
        0x7FF8000000000000L, 0xFFF8000000000001L, 0x7FF0000000000001L, 0x7FF4000000000000L, // NaNs, quiet and signalling
        0x7FF0000000000000L, 0xFFF0000000000000L, 0x0L, 0x8000000000000000L, // infinities, zeros
        0x1L, 0x800FFFFFFFFFFFFFL, 0x0010000000000000L, 0x7FEFFFFFFFFFFFFFL, // subnormals, smallest normal, max
    };
    private static final int[] SPECIAL_FLOATS = {
        0x7FC00000, 0xFFC00001, 0x7F800001, 0xFF812345, 0x7FA00000, 0x7F800000, 0xFF800000, 0, 0x80000000,
        1, 0x807FFFFF, 0x00800000, 0x7F7FFFFF, 0x477FE000, 0x477FF000, 0x477FEFFF, 0x33800000, 0x33000000,
        0x33000001, 0x387FC000, 0x7F7F8000, 0x7F7F7FFF,
    };
    private static final short[] SPECIAL_HALVES = {
        0x7E00, (short) 0xFE01, 0x7C01, 0x7D55, 0x7C00, (short) 0xFC00, 0, (short) 0x8000, 1, (short) 0x83FF, 0x0400, 0x7BFF,
    };
    private static final short[] SPECIAL_BFLOATS = {
        0x7FC0, (short) 0xFF81, 0x7F81, 0x7FA0, 0x7F80, (short) 0xFF80, 0, (short) 0x8000, 1, (short) 0x807F, 0x0080, 0x7F7F,
    };

    private RandomTensors() {
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** Rank 0 to {@code maxRank}, sizes 0 to 4 (zero rarely), at most about 200 elements. */
    static long[] shape(Random random, int maxRank) {
        long[] shape = new long[random.nextInt(maxRank + 1)];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = random.nextInt(12) == 0 ? 0 : 1 + random.nextInt(4);
        }
        return shape;
    }

    /** A tensor of hard values: specials, raw bits, values near rounding boundaries. */
    static Tensor tensor(Random random, DType dtype, long[] shape) {
        int numel = Math.toIntExact(Shapes.numel(shape));
        ByteBuffer buffer = ByteBuffer.allocate(numel * dtype.elementSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < numel; i++) {
            putElement(random, dtype, buffer);
        }
        return Tensor.of(dtype, shape, buffer.array());
    }

    private static void putElement(Random random, DType dtype, ByteBuffer buffer) {
        switch (dtype) {
            case FLOAT64:
                buffer.putLong(doubleBits(random));
                break;
            case FLOAT32:
                buffer.putInt(floatBits(random));
                break;
            case FLOAT16:
                buffer.putShort(random.nextInt(5) == 0 ? SPECIAL_HALVES[random.nextInt(SPECIAL_HALVES.length)]
                        : (short) random.nextInt());
                break;
            case BFLOAT16:
                buffer.putShort(random.nextInt(5) == 0 ? SPECIAL_BFLOATS[random.nextInt(SPECIAL_BFLOATS.length)]
                        : (short) random.nextInt());
                break;
            case COMPLEX64:
                buffer.putInt(floatBits(random)).putInt(floatBits(random));
                break;
            case COMPLEX128:
                buffer.putLong(doubleBits(random)).putLong(doubleBits(random));
                break;
            case BOOL:
                buffer.put((byte) random.nextInt(2));
                break;
            default:
                putInteger(random, dtype, buffer);
        }
    }

    private static void putInteger(Random random, DType dtype, ByteBuffer buffer) {
        long value = random.nextInt(4) == 0 ? random.nextInt(7) - 3 : random.nextInt(3) == 0 ? nearFloatTie(random) : random.nextLong();
        for (int b = 0; b < dtype.elementSize(); b++) {
            buffer.put((byte) (value >>> (8 * b)));
        }
    }

    /** An integer at, just below or just above a tie of float32 (or of float16/bfloat16 after it). */
    private static long nearFloatTie(Random random) {
        int bits = 8 + random.nextInt(56);
        int kept = random.nextBoolean() ? 24 : random.nextBoolean() ? 11 : 8;
        long top = (1L << (bits - 1)) | (random.nextLong() & ((1L << (bits - 1)) - 1));
        int dropped = Math.max(bits - kept, 1);
        long tie = (top >>> dropped << dropped) | (1L << (dropped - 1));
        long value = tie + random.nextInt(3) - 1;
        return random.nextBoolean() ? value : -value;
    }

    private static long doubleBits(Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return SPECIAL_DOUBLES[random.nextInt(SPECIAL_DOUBLES.length)];
            case 1:
                return random.nextLong();
            case 2:
                return Double.doubleToRawLongBits(Double.longBitsToDouble(FloatBits.widen(floatBits(random))) * (1 + nudge(random)));
            case 3:
                return Double.doubleToRawLongBits(halfTie(random) * (1 + nudge(random)));
            default:
                return Double.doubleToRawLongBits((random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(80) - 40));
        }
    }

    /** 0, or a relative nudge of about one float64 ulp or below float32's precision. */
    private static double nudge(Random random) {
        switch (random.nextInt(3)) {
            case 0:
                return 0;
            case 1:
                return (random.nextInt(3) - 1) * 0x1p-52;
            default:
                return (random.nextInt(3) - 1) * 0x1p-30;
        }
    }

    private static int floatBits(Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return SPECIAL_FLOATS[random.nextInt(SPECIAL_FLOATS.length)];
            case 1:
                return random.nextInt();
            case 2:
                return Float.floatToRawIntBits((float) halfTie(random)) + random.nextInt(3) - 1;
            case 3:
                return (random.nextInt() & 0xFFFF0000) | 0x8000 + random.nextInt(3) - 1;  // bfloat16 ties
            default:
                return Float.floatToRawIntBits((float) ((random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(60) - 30)));
        }
    }

    /** The midpoint of two adjacent finite float16 values (exact in float32). */
    private static double halfTie(Random random) {
        short half = (short) random.nextInt(0x7BFF);
        double low = Double.longBitsToDouble(FloatBits.widen(HalfFloat.toFloatBits(half)));
        double high = Double.longBitsToDouble(FloatBits.widen(HalfFloat.toFloatBits((short) (half + 1))));
        double tie = (low + high) / 2;
        return random.nextBoolean() ? tie : -tie;
    }

    /** A value of {@code dtype} inside the range of integer {@code target}, or rarely outside. */
    static Tensor inRangeFor(Random random, DType dtype, DType target, long[] shape) {
        int numel = Math.toIntExact(Shapes.numel(shape));
        double[] values = new double[numel];
        double range = target == DType.INT64 ? 0x1p63 : target == DType.INT32 ? 0x1p31 : target == DType.INT16 ? 0x1p15 : 0x1p7;
        range = dtype == DType.FLOAT16 ? Math.min(range, 65504) : range;
        for (int i = 0; i < numel; i++) {
            double scale = random.nextInt(4) == 0 ? range * 1.01 : Math.scalb(range, -random.nextInt(20));
            values[i] = random.nextInt(40) == 0 ? Math.scalb(1.0, 80) : (random.nextDouble() * 2 - 1) * scale;
        }
        return Tensor.ofDoubles(shape, values).to(dtype);
    }
}
