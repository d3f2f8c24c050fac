package dev.ckpt.pickle;

import java.util.Arrays;

/** A Python bytearray: mutable bytes, unhashable, compared by identity like any mutable value. */
public final class PyByteArray {
    private byte[] bytes;

    public PyByteArray(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The live contents (not a copy). */
    public byte[] bytes() {
        return bytes;
    }

    public void setBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public String toString() {
        return "bytearray(" + bytes.length + " bytes: " + Arrays.toString(Arrays.copyOf(bytes, Math.min(bytes.length, 16))) + ")";
    }
}
