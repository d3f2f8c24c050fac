package dev.ckpt.api;

import dev.ckpt.torch.DType;

/**
 * A fill value as element bits, refused where torch's fills refuse it (c10's
 * {@code checked_convert}, which F.pad uses): for an integer dtype a NaN, an infinity or a value
 * outside its range before truncation; for a float dtype a finite value beyond its largest.
 */
final class FillValues {

    private static final double LARGEST_HALF = 65504;
    private static final double LARGEST_BFLOAT16 = 0x1.FEp127;

    private FillValues() {
    }

    static long bits(DType dtype, double value) {
        if (!fits(dtype, value)) {
            throw new IllegalArgumentException("fill value " + value + " cannot be converted to " + dtype
                    + " without overflow (torch refuses it too)");
        }
        if (dtype == DType.BFLOAT16 && Double.isNaN(value)) {
            return BrainFloat.SCALAR_NAN;  // torch fills through c10's scalar conversion
        }
        return Conversions.fromDouble(dtype, Double.doubleToRawLongBits(value), 0);
    }

    private static boolean fits(DType dtype, double value) {
        switch (dtype) {
            case BOOL:
            case FLOAT64:
                return true;
            case FLOAT32:
                return !Double.isFinite(value) || Math.abs(value) <= Float.MAX_VALUE;
            case FLOAT16:
                return !Double.isFinite(value) || Math.abs(value) <= LARGEST_HALF;
            case BFLOAT16:
                return !Double.isFinite(value) || Math.abs(value) <= LARGEST_BFLOAT16;
            case UINT8:
                return value >= 0 && value <= 255;
            case INT8:
                return value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE;
            case INT16:
                return value >= Short.MIN_VALUE && value <= Short.MAX_VALUE;
            case INT32:
                return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
            default:
                return value >= -0x1p63 && value < 0x1p63;
        }
    }
}
