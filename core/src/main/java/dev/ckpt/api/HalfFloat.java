package dev.ckpt.api;

/** IEEE binary16 to and from float32 bits, with the NaN encodings torch 2.x produces on CPU. */
final class HalfFloat {

    private static final float TWO_POW_24 = 0x1p24f;
    private static final float TWO_POW_MINUS_24 = 0x1p-24f;
    private static final float SMALLEST_NORMAL = 0x1p-14f;
    /** Halfway between the largest half (65504) and the next step: rounds to infinity. */
    private static final float OVERFLOW_THRESHOLD = 65520f;

    private HalfFloat() {
    }

    /** Rounds to nearest even; a NaN is quieted and keeps its sign and the top of its payload. */
    static short fromFloatBits(int bits) {
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;
        if (exponent == 0xFF) {
            return (short) (sign | (mantissa == 0 ? 0x7C00 : 0x7E00 | (mantissa >>> 13)));
        }
        float magnitude = Float.intBitsToFloat(bits & 0x7FFFFFFF);
        if (magnitude >= OVERFLOW_THRESHOLD) {
            return (short) (sign | 0x7C00);
        }
        if (magnitude < SMALLEST_NORMAL) {
            // exact scaling, then one rounding; 1024 is the smallest normal's encoding
            return (short) (sign | (int) Math.rint(magnitude * TWO_POW_24));
        }
        int truncated = ((exponent - 127 + 15) << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1FFF;
        boolean roundUp = rest > 0x1000 || (rest == 0x1000 && (truncated & 1) == 1);
        return (short) (sign | (roundUp ? truncated + 1 : truncated));
    }

    /** Exact; a NaN is quieted and keeps its payload, as the vectorised conversion does. */
    static int toFloatBits(short half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        if (exponent == 0x1F) {
            return sign | (mantissa == 0 ? 0x7F800000 : 0x7FC00000 | (mantissa << 13));
        }
        if (exponent == 0) {
            return sign | Float.floatToRawIntBits(mantissa * TWO_POW_MINUS_24);
        }
        return sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
    }
}
