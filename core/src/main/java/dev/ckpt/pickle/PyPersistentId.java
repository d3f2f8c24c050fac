package dev.ckpt.pickle;

/**
 * An object the pickle refers to by a persistent id instead of holding it (torch stores each
 * tensor storage so: {@code ('storage', <class>, key, location, numel)}). The id is kept as data.
 */
public final class PyPersistentId {
    private Object id;

    public PyPersistentId(Object id) {
        this.id = id;
    }

    public Object id() {
        return id;
    }

    /** Changes what the reference names (e.g. to convert an old format's storage ids). */
    public void replaceId(Object id) {
        this.id = id;
    }

    @Override
    public String toString() {
        return "<persistent " + ValuePrinter.inline(id) + ">";
    }
}
