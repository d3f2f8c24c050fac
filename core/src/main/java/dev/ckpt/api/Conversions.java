package dev.ckpt.api;

import dev.ckpt.torch.DType;
import java.util.EnumSet;
import java.util.Set;

/** Converts one element's bits between the ten numeric dtypes, with torch's CPU results. */
final class Conversions {

    static final Set<DType> NUMERIC = EnumSet.of(DType.FLOAT64, DType.FLOAT32, DType.FLOAT16, DType.BFLOAT16,
            DType.INT64, DType.INT32, DType.INT16, DType.INT8, DType.UINT8, DType.BOOL);
    private static final Set<DType> INTEGERS = EnumSet.of(DType.INT64, DType.INT32, DType.INT16, DType.INT8, DType.UINT8);

    private Conversions() {
    }

    static boolean isInteger(DType dtype) {
        return INTEGERS.contains(dtype);
    }

    static boolean isFloating(DType dtype) {
        return dtype == DType.FLOAT64 || dtype == DType.FLOAT32 || dtype == DType.FLOAT16 || dtype == DType.BFLOAT16;
    }

    static void requireNumeric(DType dtype, String operation) {
        if (!NUMERIC.contains(dtype)) {
            throw new IllegalArgumentException(operation + " supports " + NUMERIC + ", not " + dtype);
        }
    }

    /** The element {@code bits} of type {@code from} as bits of type {@code to}. */
    static long convert(DType from, DType to, long bits, long flatIndex) {
        if (from == DType.BOOL) {
            return fromInteger(to, bits == 0 ? 0 : 1);
        }
        if (isInteger(from)) {
            return fromInteger(to, bits);
        }
        if (from == DType.FLOAT64) {
            return fromDouble(to, bits, flatIndex);
        }
        if (from == DType.FLOAT16 && to == DType.BFLOAT16 && FloatBits.isNaN32(toFloatBits(from, bits))) {
            return BrainFloat.SCALAR_NAN;
        }
        return fromFloat(to, toFloatBits(from, bits), flatIndex);
    }

    /** An integer (or bool as 0/1) to {@code to}: integers wrap, floats round to nearest even. */
    static long fromInteger(DType to, long value) {
        switch (to) {
            case BOOL:
                return value != 0 ? 1 : 0;
            case FLOAT64:
                return Double.doubleToRawLongBits(value);
            case FLOAT32:
                return Float.floatToRawIntBits(value);
            case FLOAT16:
            case BFLOAT16:
                // c10 converts through float: two roundings, as torch does
                return fromFloat(to, Float.floatToRawIntBits(value), 0);
            default:
                return value;
        }
    }

    /** float64 bits to {@code to}; float16 and bfloat16 round through float32 as c10 does. */
    static long fromDouble(DType to, long bits, long flatIndex) {
        switch (to) {
            case FLOAT64:
                return bits;
            case BOOL:
                return (bits & 0x7FFFFFFFFFFFFFFFL) != 0 ? 1 : 0;
            default:
                if (isInteger(to)) {
                    return truncate(to, Double.longBitsToDouble(bits), flatIndex);
                }
                return fromFloat(to, FloatBits.narrow(bits), flatIndex);
        }
    }

    /** float32 bits to {@code to}. */
    static long fromFloat(DType to, int bits, long flatIndex) {
        switch (to) {
            case FLOAT64:
                return FloatBits.widen(bits);
            case FLOAT32:
                return bits;
            case FLOAT16:
                return HalfFloat.fromFloatBits(bits);
            case BFLOAT16:
                return BrainFloat.fromFloatBits(bits);
            case BOOL:
                return (bits & 0x7FFFFFFF) != 0 ? 1 : 0;
            default:
                return truncate(to, Float.intBitsToFloat(bits), flatIndex);
        }
    }

    /** float32, float16 or bfloat16 element bits as float32 bits (exact). */
    static int toFloatBits(DType from, long bits) {
        switch (from) {
            case FLOAT32:
                return (int) bits;
            case FLOAT16:
                return HalfFloat.toFloatBits((short) bits);
            case BFLOAT16:
                return BrainFloat.toFloatBits((short) bits);
            default:
                throw new IllegalArgumentException(from + " is not a 32-bit-or-less float");
        }
    }

    /** The element as a double: exact except int64 beyond 2^53; bool as 0/1. */
    static double toDouble(DType from, long bits) {
        if (from == DType.FLOAT64) {
            return Double.longBitsToDouble(bits);
        }
        if (isFloating(from)) {
            return Double.longBitsToDouble(FloatBits.widen(toFloatBits(from, bits)));
        }
        return from == DType.BOOL ? (bits == 0 ? 0 : 1) : bits;
    }

    /**
     * Truncation toward zero, defined by C++ only when the result fits: torch's uint8 goes through
     * int64 (c10's static_cast_with_inter_type), so it wraps whatever fits an int64.
     */
    private static long truncate(DType to, double value, long flatIndex) {
        double truncated = value < 0 ? Math.ceil(value) : Math.floor(value);
        boolean fits = to == DType.UINT8 ? fitsInt64(truncated) : truncated >= minimum(to) && truncated <= maximum(to);
        if (!fits) {
            throw new IllegalArgumentException("cannot cast " + value + " (element " + flatIndex + ") to " + to
                    + ": out of its range, undefined behaviour in torch");
        }
        return (long) truncated;
    }

    private static boolean fitsInt64(double truncated) {
        return truncated >= -0x1p63 && truncated < 0x1p63;
    }

    private static double minimum(DType to) {
        switch (to) {
            case INT64:
                return Long.MIN_VALUE;
            case INT32:
                return Integer.MIN_VALUE;
            case INT16:
                return Short.MIN_VALUE;
            default:
                return Byte.MIN_VALUE;
        }
    }

    /** Exact as a double: int64's bound is 2^63 - 1, which we compare as below 2^63. */
    private static double maximum(DType to) {
        switch (to) {
            case INT64:
                return Math.nextDown(0x1p63);
            case INT32:
                return Integer.MAX_VALUE;
            case INT16:
                return Short.MAX_VALUE;
            default:
                return Byte.MAX_VALUE;
        }
    }
}
