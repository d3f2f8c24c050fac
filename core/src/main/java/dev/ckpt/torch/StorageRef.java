package dev.ckpt.torch;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyPersistentId;
import dev.ckpt.pickle.PyTuple;

/**
 * A tensor storage as torch.save refers to it: the persistent id
 * {@code ('storage', torch.<Type>Storage, key, location, numel)}. Its bytes are the archive
 * record {@code <prefix>/data/<key>}.
 *
 * @param dtype    element type, or null for an untyped storage (bytes; the tensor names its type)
 * @param key      record key
 * @param location device the storage was saved from, e.g. {@code cpu}
 * @param numel    number of elements of {@code dtype} (of bytes when untyped)
 */
public record StorageRef(DType dtype, String key, String location, long numel) {
    private static final String UNTYPED = "UntypedStorage";

    /** The storage a persistent id names, or null when it is not a torch storage id. */
    public static StorageRef of(Object value) {
        if (!(value instanceof PyPersistentId pid) || !(pid.id() instanceof PyTuple id) || id.size() != 5
                || !"storage".equals(id.get(0)) || !(id.get(1) instanceof PyGlobal type)
                || !(id.get(2) instanceof String key) || !(id.get(3) instanceof String location)
                || !(id.get(4) instanceof Long numel)) {
            return null;
        }
        DType dtype = DType.ofStorageClass(type.name());
        if (dtype == null && !type.name().equals(UNTYPED)) {
            return null;
        }
        return new StorageRef(dtype, key, location, numel);
    }

    /** The persistent id torch.save writes for this storage. */
    public PyPersistentId toPersistentId() {
        // torch pickles the untyped storage class by its defining module, torch.storage
        PyGlobal type = dtype == null ? PyGlobal.of("torch.storage", UNTYPED) : PyGlobal.of("torch", dtype.storageClass());
        return new PyPersistentId(PyTuple.of("storage", type, key, location, numel));
    }

    public long byteSize() {
        return dtype == null ? numel : numel * dtype.elementSize();
    }
}
