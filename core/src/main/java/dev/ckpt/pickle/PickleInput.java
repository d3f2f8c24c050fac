package dev.ckpt.pickle;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over the pickle bytes. Every read checks that the bytes are there before anything is
 * allocated, so a declared length larger than the input fails at once.
 */
final class PickleInput {
    private final byte[] data;
    private int pos;

    PickleInput(byte[] data, int start) {
        this.data = data;
        this.pos = start;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return data.length - pos;
    }

    boolean atEnd() {
        return pos >= data.length;
    }

    int readUint1() {
        require(1);
        return data[pos++] & 0xff;
    }

    int readUint2() {
        require(2);
        int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8;
        pos += 2;
        return v;
    }

    int readInt4() {
        require(4);
        int v = (data[pos] & 0xff) | (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff) << 16 | (data[pos + 3] & 0xff) << 24;
        pos += 4;
        return v;
    }

    long readUint4() {
        return readInt4() & 0xffffffffL;
    }

    /** An unsigned 8-byte length; values past Long.MAX_VALUE come back negative and fail {@link #require}. */
    long readUint8() {
        require(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (data[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    double readFloat8() {
        require(8);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = bits << 8 | (data[pos + i] & 0xff);
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    /** A little-endian two's-complement integer of {@code n} bytes (LONG1/LONG4). */
    Object readLong(long n) {
        int len = require(n);
        if (len == 0) {
            return 0L;
        }
        byte[] bigEndian = new byte[len];
        for (int i = 0; i < len; i++) {
            bigEndian[i] = data[pos + len - 1 - i];
        }
        pos += len;
        return Numbers.normalize(new BigInteger(bigEndian));
    }

    byte[] readBytes(long n) {
        int len = require(n);
        byte[] out = new byte[len];
        System.arraycopy(data, pos, out, 0, len);
        pos += len;
        return out;
    }

    /** UTF-8 (surrogates passing) of {@code n} bytes, or null when malformed. */
    String readUtf8(long n) {
        int len = require(n);
        String s = SurrogatePassUtf8.decode(data, pos, len);
        pos += len;
        return s;
    }

    /** The bytes up to the next newline (consumed, not returned). */
    byte[] readLine() {
        for (int i = pos; i < data.length; i++) {
            if (data[i] == '\n') {
                byte[] line = new byte[i - pos];
                System.arraycopy(data, pos, line, 0, line.length);
                pos = i + 1;
                return line;
            }
        }
        throw new Truncated("a line ending in \\n");
    }

    String readAsciiLine() {
        return new String(readLine(), StandardCharsets.ISO_8859_1);
    }

    /** Checks that {@code n} bytes remain; returns n as an int. */
    int require(long n) {
        if (n < 0 || n > remaining()) {
            throw new Truncated(n < 0 ? "a length of " + Long.toUnsignedString(n) : n + " bytes, but only " + remaining() + " remain");
        }
        return (int) n;
    }

    /** The input ends before what an opcode needs. */
    static final class Truncated extends RuntimeException {
        Truncated(String needed) {
            super(needed, null, false, false);
        }
    }
}
