package dev.ckpt.api;

import dev.ckpt.torch.DType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian reads and writes of one element's bits, by element index. */
final class Elements {

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Elements() {
    }

    /** The element's bits, zero-extended for UINT8 and sign-extended otherwise. */
    static long read(DType dtype, byte[] data, int index) {
        switch (dtype.elementSize()) {
            case 1:
                return dtype == DType.UINT8 || dtype == DType.BOOL ? data[index] & 0xFF : data[index];
            case 2:
                return (short) SHORTS.get(data, index * 2);
            case 4:
                return (int) INTS.get(data, index * 4);
            case 8:
                return (long) LONGS.get(data, index * 8);
            default:
                throw new IllegalArgumentException("no element access for " + dtype);
        }
    }

    /** Writes the low {@code elementSize} bytes of {@code bits}. */
    static void write(DType dtype, byte[] data, int index, long bits) {
        switch (dtype.elementSize()) {
            case 1:
                data[index] = (byte) bits;
                break;
            case 2:
                SHORTS.set(data, index * 2, (short) bits);
                break;
            case 4:
                INTS.set(data, index * 4, (int) bits);
                break;
            case 8:
                LONGS.set(data, index * 8, bits);
                break;
            default:
                throw new IllegalArgumentException("no element access for " + dtype);
        }
    }
}
