package dev.ckpt.pickle;

/**
 * A pickle that cannot be read or a value tree that cannot be written. When the problem sits in
 * the input, {@link #offset()} is the byte offset of the opcode being executed and
 * {@link #opcode()} its pickletools name; both are -1 / null for writer errors.
 */
public class PickleException extends RuntimeException {
    private final long offset;
    private final String opcode;
    private final boolean truncation;

    public PickleException(String message) {
        this(message, -1, null, null);
    }

    public PickleException(String message, long offset, String opcode, Throwable cause) {
        this(message, offset, opcode, cause, false);
    }

    PickleException(String message, long offset, String opcode, Throwable cause, boolean truncation) {
        super(offset < 0 ? message : message + " (at byte " + offset + (opcode == null ? "" : ", opcode " + opcode) + ")", cause);
        this.offset = offset;
        this.opcode = opcode;
        this.truncation = truncation;
    }

    /** True when the input simply ended too soon: more bytes might make it readable. */
    public boolean isTruncation() {
        return truncation;
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
