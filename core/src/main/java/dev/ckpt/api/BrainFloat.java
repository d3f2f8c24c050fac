package dev.ckpt.api;

/** bfloat16 (the top half of a float32) to and from float32 bits, as torch's CPU kernels do. */
final class BrainFloat {

    /** What torch's vectorised float-to-bfloat16 conversion writes for every NaN. */
    static final short VECTOR_NAN = (short) 0xFFFF;
    /** What c10's scalar conversion writes for a NaN (torch's fills, and float16 NaNs cast). */
    static final short SCALAR_NAN = 0x7FC0;

    private BrainFloat() {
    }

    /** Rounds to nearest even (overflow to infinity); every NaN becomes {@link #VECTOR_NAN}. */
    static short fromFloatBits(int bits) {
        if (Float.isNaN(Float.intBitsToFloat(bits))) {
            return VECTOR_NAN;
        }
        int roundingBias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + roundingBias) >>> 16);
    }

    /** Exact, NaN payloads included. */
    static int toFloatBits(short bfloat) {
        return (bfloat & 0xFFFF) << 16;
    }
}
