package dev.ckpt.pickle;

import java.math.BigInteger;

/** Python ints as Java values: Long when it fits, BigInteger beyond. */
final class Numbers {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Numbers() {
    }

    static Object normalize(BigInteger value) {
        return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0 ? (Object) value.longValue() : value;
    }

    static BigInteger toBig(Object integral) {
        return integral instanceof BigInteger big ? big : BigInteger.valueOf(((Number) integral).longValue());
    }

    /** CPython's {@code encode_long}: the shortest little-endian two's complement; empty for 0. */
    static byte[] encodeLong(BigInteger value) {
        if (value.signum() == 0) {
            return new byte[0];
        }
        byte[] bigEndian = value.toByteArray();
        byte[] out = new byte[bigEndian.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }
}
