package dev.ckpt.api;

/**
 * float32/float64 conversions and scalar arithmetic on raw bits, with the NaN results of x86
 * hardware (which torch's CPU kernels inherit) made explicit rather than left to the JVM.
 */
final class FloatBits {

    /** x86's "real indefinite": the NaN an invalid operation such as inf * 0 produces. */
    static final int DEFAULT_NAN_32 = 0xFFC00000;
    static final long DEFAULT_NAN_64 = 0xFFF8000000000000L;
    private static final int QUIET_32 = 0x00400000;
    private static final long QUIET_64 = 0x0008000000000000L;

    private FloatBits() {
    }

    static boolean isNaN32(int bits) {
        return (bits & 0x7FFFFFFF) > 0x7F800000;
    }

    static boolean isNaN64(long bits) {
        return (bits & 0x7FFFFFFFFFFFFFFFL) > 0x7FF0000000000000L;
    }

    /** Exact widening; a NaN is quieted and keeps its payload. */
    static long widen(int bits) {
        if (!isNaN32(bits)) {
            return Double.doubleToRawLongBits(Float.intBitsToFloat(bits));
        }
        long sign = (long) (bits & 0x80000000) << 32;
        return sign | 0x7FF0000000000000L | QUIET_64 | ((long) (bits & 0x7FFFFF) << 29);
    }

    /** Round to nearest even; a NaN is quieted and keeps the top of its payload. */
    static int narrow(long bits) {
        if (!isNaN64(bits)) {
            return Float.floatToRawIntBits((float) Double.longBitsToDouble(bits));
        }
        int sign = (int) (bits >>> 32) & 0x80000000;
        return sign | 0x7F800000 | QUIET_32 | (int) ((bits & 0xFFFFFFFFFFFFFL) >>> 29);
    }

    /** {@code x * y}, {@code y} being torch's scalar operand. */
    static int multiply32(int x, int y) {
        float product = Float.intBitsToFloat(x) * Float.intBitsToFloat(y);
        return Float.isNaN(product) ? nan32(x, y) : Float.floatToRawIntBits(product);
    }

    static int add32(int x, int y) {
        float sum = Float.intBitsToFloat(x) + Float.intBitsToFloat(y);
        return Float.isNaN(sum) ? nan32(x, y) : Float.floatToRawIntBits(sum);
    }

    static long multiply64(long x, long y) {
        double product = Double.longBitsToDouble(x) * Double.longBitsToDouble(y);
        return Double.isNaN(product) ? nan64(x, y) : Double.doubleToRawLongBits(product);
    }

    static long add64(long x, long y) {
        double sum = Double.longBitsToDouble(x) + Double.longBitsToDouble(y);
        return Double.isNaN(sum) ? nan64(x, y) : Double.doubleToRawLongBits(sum);
    }

    /**
     * x86 returns its first NaN operand quieted, else the default NaN; torch's kernels pass the
     * scalar {@code y} first.
     */
    private static int nan32(int x, int y) {
        if (isNaN32(y)) {
            return y | QUIET_32;
        }
        return isNaN32(x) ? x | QUIET_32 : DEFAULT_NAN_32;
    }

    private static long nan64(long x, long y) {
        if (isNaN64(y)) {
            return y | QUIET_64;
        }
        return isNaN64(x) ? x | QUIET_64 : DEFAULT_NAN_64;
    }
}
