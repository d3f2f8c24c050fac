package dev.ckpt.pickle;

/**
 * A pickle that cannot be read or a value tree that cannot be written. When the problem sits in
 * the input, {@link #offset()} is the byte offset of the opcode being executed and
 * {@link #opcode()} its pickletools name; both are -1 / null for writer errors.
 */
public class PickleException extends RuntimeException {
    private final long offset;
    private final String opcode;

    public PickleException(String message) {
        this(message, -1, null, null);
    }

    public PickleException(String message, long offset, String opcode, Throwable cause) {
        super(offset < 0 ? message : message + " (at byte " + offset + (opcode == null ? "" : ", opcode " + opcode) + ")", cause);
        this.offset = offset;
        this.opcode = opcode;
    }

    /** Byte offset of the failing opcode in the pickle, or -1. */
    public long offset() {
        return offset;
    }

    /** Name of the failing opcode as pickletools spells it, or null. */
    public String opcode() {
        return opcode;
    }
}
