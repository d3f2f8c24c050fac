package dev.ckpt.pickle;


/**
 * Writes a value tree as a pickle, protocol 2 by default (what {@code torch.save} writes), any of
 * 0 to 5 on request, framed from protocol 4 on. It makes the choices CPython's pickler makes, so
 * an unmodified tree read from a CPython protocol-2 pickle comes back byte-for-byte identical.
 * Shared values are written once (memoized by identity; class references by name), cycles are
 * kept, and depth is limited only by the heap: the writer never recurses.
 *
 * <p>Placeholders for deleted classes are written as inert plain dicts carrying the original
 * path under {@code __ckpt_placeholder__} and the original arguments and state (they load even
 * in torch's weights-only loader), unless the writer is {@link #strict()}.
 */
public final class PickleWriter {
    public static final int DEFAULT_PROTOCOL = 2;
    public static final int HIGHEST_PROTOCOL = 5;

    private final int protocol;
    private final boolean strict;

    public PickleWriter() {
        this(DEFAULT_PROTOCOL);
    }

    public PickleWriter(int protocol) {
        this(protocol, false);
    }

    private PickleWriter(int protocol, boolean strict) {
        if (protocol < 0 || protocol > HIGHEST_PROTOCOL) {
            throw new IllegalArgumentException("pickle protocol must be 0 to " + HIGHEST_PROTOCOL + ", got " + protocol);
        }
        this.protocol = protocol;
        this.strict = strict;
    }

    /** A writer that refuses trees still holding placeholders for deleted classes. */
    public PickleWriter strict() {
        return new PickleWriter(protocol, true);
    }

    public int protocol() {
        return protocol;
    }

    /**
     * The pickle of a value tree.
     *
     * @throws PickleException for a value with no Python equivalent, or a placeholder in strict mode
     */
    public byte[] write(Object root) {
        return write(root, new Observer() { });
    }

    /** What a write tells its observer, in the order it writes it. */
    public interface Observer {
        /** A persistent id: the order is the order an unpickler meets them (torch's storage first-use order). */
        default void persistentId(PyPersistentId pid) {
        }

        /** A class or function reference (written once; later uses come from the memo). */
        default void global(PyGlobal global) {
        }

        /** An object built by a call (a tensor's rebuild among them), once each, as it is written. */
        default void object(PyObject object) {
        }
    }

    /** The pickle of a value tree, telling {@code observer} what it writes. */
    public byte[] write(Object root, Observer observer) {
        return new PickleEmitter(protocol, strict, observer).write(root);
    }

    /** This writer (strict or not) at another protocol. */
    public PickleWriter withProtocol(int protocol) {
        return new PickleWriter(protocol, strict);
    }
}
