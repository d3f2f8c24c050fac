package dev.ckpt.torch;

import dev.ckpt.pickle.PyPersistentId;
import dev.ckpt.pickle.PyTuple;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The storage keys to write a tree under. torch 2.x's save gives {@code 0, 1, 2, ...} in the
 * order the pickler writes the storages (its {@code id_map}), the order its loader meets them,
 * and its loader relies on that. After a migration deleted, added or replaced tensors the tree's
 * keys have gaps or another order; {@link #whileRenamed} pickles the tree under the keys torch
 * would have given it, then puts the old keys back, so the open checkpoint keeps finding its
 * storages by their old keys. Archives of torch 1.x keep their keys (its loaders look storages up
 * by name; some of its versions named them by memory address).
 */
final class StorageNumbering {
    private final List<PyPersistentId> uses;
    private final Map<String, String> newKeys;
    private final Map<String, StorageRef> firstUses;
    private final List<String> oldKeys;
    private final Map<String, String> oldKeyOf = new java.util.HashMap<>();

    private StorageNumbering(List<PyPersistentId> uses, Map<String, String> newKeys, Map<String, StorageRef> firstUses) {
        this.uses = uses;
        this.newKeys = newKeys;
        this.firstUses = firstUses;
        this.oldKeys = List.copyOf(newKeys.keySet());
        newKeys.forEach((old, renamed) -> oldKeyOf.put(renamed, old));
    }

    /**
     * The storages of the persistent ids a pickle wrote, in the order it wrote them: numbered
     * {@code 0, 1, ...} when {@code renumber} (torch 2.x's loader relies on it), else under the
     * keys the tree has (torch 1.x loaders find storages by name; keeping the keys keeps an
     * unchanged file's bytes, whatever its writer numbered them by).
     */
    static StorageNumbering of(List<PyPersistentId> written, boolean renumber) {
        List<PyPersistentId> uses = new ArrayList<>();
        Map<String, String> newKeys = new LinkedHashMap<>();
        Map<String, StorageRef> firstUses = new LinkedHashMap<>();
        for (PyPersistentId pid : written) {
            StorageRef storage = StorageRef.of(pid);
            if (storage != null) {
                uses.add(pid);
                newKeys.putIfAbsent(storage.key(), renumber ? String.valueOf(newKeys.size()) : storage.key());
                firstUses.putIfAbsent(storage.key(), storage);
            }
        }
        return new StorageNumbering(uses, newKeys, firstUses);
    }

    /** True when the tree already has the keys torch would give it. */
    boolean isCanonical() {
        return newKeys.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()));
    }

    /** The tree's storage keys in first-use order. */
    List<String> keysInFirstUseOrder() {
        return oldKeys;
    }

    String newKey(String oldKey) {
        return newKeys.get(oldKey);
    }

    /** The new keys in first-use order. */
    List<String> newKeysInFirstUseOrder() {
        return List.copyOf(newKeys.values());
    }

    /** The tree's own key of the storage written as {@code newKey}. */
    String oldKey(String newKey) {
        return oldKeyOf.get(newKey);
    }

    /** The storage's size in bytes as the first persistent id naming it declares (what torch's loader reads). */
    long declaredBytes(String oldKey) {
        return firstUses.get(oldKey).byteSize();
    }

    /**
     * Runs {@code write} with every storage id renamed to its new key. Sharing is kept as the tree
     * had it: one key string object (torch memoizes it) stays one object, a shared id tuple stays shared.
     */
    <T> T whileRenamed(Supplier<T> write) {
        Map<Object, Object> originals = new IdentityHashMap<>();
        Map<Object, PyTuple> renamedTuples = new IdentityHashMap<>();
        Map<Object, String> renamedKeys = new IdentityHashMap<>();
        for (PyPersistentId pid : uses) {
            PyTuple id = (PyTuple) pid.id();
            originals.putIfAbsent(pid, id);
            PyTuple renamed = renamedTuples.computeIfAbsent(id, t -> {
                List<Object> items = new ArrayList<>(id);
                Object oldKey = items.get(2);
                items.set(2, renamedKeys.computeIfAbsent(oldKey, k -> new String(newKeys.get((String) k))));
                return PyTuple.copyOf(items);
            });
            pid.replaceId(renamed);
        }
        try {
            return write.get();
        } finally {
            originals.forEach((pid, id) -> ((PyPersistentId) pid).replaceId(id));
        }
    }
}
