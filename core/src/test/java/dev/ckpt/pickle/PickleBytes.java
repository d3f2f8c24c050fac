package dev.ckpt.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds pickle bytes opcode by opcode for tests, remembering where each opcode starts. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int marked = -1;

    /** The offset the next opcode will have. */
    int offset() {
        return out.size();
    }

    /** Remembers the offset of the next opcode: the one a test expects to fail. */
    PickleBytes here() {
        marked = out.size();
        return this;
    }

    /** The offset remembered by {@link #here()}. */
    int marked() {
        if (marked < 0) {
            throw new IllegalStateException("no opcode was marked with here()");
        }
        return marked;
    }

    PickleBytes op(Opcode opcode) {
        out.write(opcode.code());
        return this;
    }

    PickleBytes proto(int protocol) {
        return op(Opcode.PROTO).u1(protocol);
    }

    PickleBytes u1(int value) {
        out.write(value);
        return this;
    }

    PickleBytes u2(int value) {
        return u1(value & 0xff).u1(value >>> 8 & 0xff);
    }

    PickleBytes u4(long value) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (value >>> 8 * i) & 0xff);
        }
        return this;
    }

    PickleBytes u8(long value) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> 8 * i) & 0xff);
        }
        return this;
    }

    PickleBytes raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    /** A text argument: the characters as Latin-1, then a newline. */
    PickleBytes line(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        out.write('\n');
        return this;
    }

    /** SHORT_BINUNICODE of an ASCII string. */
    PickleBytes shortUnicode(String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.UTF_8);
        return op(Opcode.SHORT_BINUNICODE).u1(b.length).raw(b);
    }

    /** The same bytes {@code times} times (for opcodes repeated a million times). */
    PickleBytes repeat(int times, byte... bytes) {
        for (int i = 0; i < times; i++) {
            out.write(bytes, 0, bytes.length);
        }
        return this;
    }

    PickleBytes stop() {
        return op(Opcode.STOP);
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
