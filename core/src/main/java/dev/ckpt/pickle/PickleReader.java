package dev.ckpt.pickle;

import java.util.List;

/**
 * Reads a pickle of any protocol (0 to 5) into a value tree ({@link PythonTypes} gives the
 * mapping). Nothing is imported, resolved or executed; class references are rewritten by the
 * configured {@link Relocation}; shared and cyclic references stay shared. Readers are immutable
 * and thread-safe; each {@link #read} is independent.
 */
public final class PickleReader {
    private final PickleLimits limits;
    private final Relocation relocation;
    private final List<byte[]> buffers;

    public PickleReader() {
        this(PickleLimits.DEFAULT, Relocation.NONE, null);
    }

    private PickleReader(PickleLimits limits, Relocation relocation, List<byte[]> buffers) {
        this.limits = limits;
        this.relocation = relocation;
        this.buffers = buffers;
    }

    public PickleReader withLimits(PickleLimits limits) {
        return new PickleReader(limits, relocation, buffers);
    }

    public PickleReader withRelocation(Relocation relocation) {
        return new PickleReader(limits, relocation, buffers);
    }

    /** The out-of-band buffers that NEXT_BUFFER opcodes (protocol 5) take, in order. */
    public PickleReader withBuffers(List<byte[]> buffers) {
        return new PickleReader(limits, relocation, List.copyOf(buffers));
    }

    /**
     * The value the pickle holds. Bytes after STOP are ignored, as {@code pickle.loads} does.
     *
     * @throws PickleException for any malformed input, with the offset and opcode that failed
     */
    public Object read(byte[] pickle) {
        return new PickleMachine(pickle, 0, limits, relocation, buffers).run();
    }

    /** Reads as {@link #read(byte[])} does, telling {@code globals} of every class reference as the pickle names it. */
    public Object read(byte[] pickle, java.util.function.Consumer<PyGlobal> globals) {
        return new PickleMachine(pickle, 0, limits, relocation, buffers).observingGlobals(globals).run();
    }

    /** A value read from the middle of some bytes, and where its pickle ended. */
    public record Prefix(Object value, int end) {
    }

    /**
     * Reads one pickle starting at {@code start} in bytes that may hold more after it (as the
     * pre-1.6 torch.save format does: several pickles in a row, then raw data).
     *
     * @throws PickleException for malformed input; {@link PickleException#isTruncation()} when
     *                         the bytes end before the pickle does
     */
    public Prefix readPrefix(byte[] bytes, int start) {
        return readPrefix(bytes, start, global -> { });
    }

    /** Reads as {@link #readPrefix(byte[], int)} does, telling {@code globals} of every class reference as the pickle names it. */
    public Prefix readPrefix(byte[] bytes, int start, java.util.function.Consumer<PyGlobal> globals) {
        if (start < 0 || start > bytes.length) {
            throw new IllegalArgumentException("start " + start + " is outside the " + bytes.length + " bytes");
        }
        PickleMachine machine = new PickleMachine(bytes, start, limits, relocation, buffers).observingGlobals(globals);
        Object value = machine.run();
        return new Prefix(value, machine.end());
    }
}
