package dev.ckpt.api;

import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;

/**
 * A model's {@code state_dict}: tensor names to tensors, in order. Renames keep each entry's
 * position, and a prefix rename also renames the module entries of torch's {@code _metadata}
 * attribute, which {@code load_state_dict} reads. {@link #read} and {@link #write} move tensor
 * values in and out as {@link Tensor}s.
 */
public final class StateDict {
    private final Map<Object, Object> entries;
    private final Map<Object, Object> metadata;
    private final TorchCheckpoint archive;

    StateDict(Map<Object, Object> entries, Map<Object, Object> metadata, TorchCheckpoint archive) {
        this.entries = entries;
        this.metadata = metadata;
        this.archive = archive;
    }

    /** The names, in order (a copy). */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        entries.keySet().forEach(k -> keys.add(String.valueOf(k)));
        return keys;
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The value under a name (normally a tensor). */
    public Object get(String key) {
        if (!entries.containsKey(key)) {
            throw new NoSuchElementException("state_dict has no entry '" + key + "'");
        }
        return entries.get(key);
    }

    /** The tensor under a name as it is pickled (dtype, shape, strides, storage), without reading its elements. */
    public TensorView view(String key) {
        return TensorView.of(get(key));
    }

    /** The elements of the tensor under a name, read from the file (strides and offset applied). */
    public Tensor read(String key) throws IOException {
        return Tensors.read(archive, view(key));
    }

    /**
     * Puts a tensor under a name: in place of the old value (a parameter stays a parameter), or at
     * the end when the name is new. The entry gets a storage of its own: if the old value shared
     * its tensor or storage with another name (tied weights), that name keeps the old values.
     */
    public void write(String key, Tensor tensor) {
        entries.put(key, Tensors.value(archive, entries.get(key), tensor));
    }

    /** Adds or replaces an entry (at the end when new). */
    public void put(String key, Object value) {
        entries.put(key, value);
    }

    /** Puts a new entry right after {@code anchor}. */
    void insertAfter(String anchor, String key, Object value) {
        insert(anchor, key, value, true);
    }

    /** Puts a new entry right before {@code anchor}. */
    void insertBefore(String anchor, String key, Object value) {
        insert(anchor, key, value, false);
    }

    private void insert(String anchor, String key, Object value, boolean after) {
        get(anchor);
        Map<Object, Object> reordered = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (k.equals(anchor) && !after) {
                reordered.put(key, value);
            }
            reordered.put(k, v);
            if (k.equals(anchor) && after) {
                reordered.put(key, value);
            }
        });
        entries.clear();
        entries.putAll(reordered);
    }

    public Object remove(String key) {
        Object removed = get(key);
        entries.remove(key);
        return removed;
    }

    /** Removes every entry whose name starts with the prefix; returns how many. */
    public int removePrefix(String prefix) {
        List<Object> doomed = entries.keySet().stream().filter(k -> k instanceof String s && s.startsWith(prefix)).toList();
        doomed.forEach(entries::remove);
        return doomed.size();
    }

    /** Renames one entry in place. */
    public void rename(String from, String to) {
        get(from);
        if (!from.equals(to) && entries.containsKey(to)) {
            throw new IllegalArgumentException("cannot rename '" + from + "' to '" + to + "': that name is taken");
        }
        renameAll(entries, k -> k.equals(from) ? to : k);
    }

    /**
     * Renames every entry starting with {@code from} to start with {@code to}, in place, and the
     * matching {@code _metadata} module entries; returns how many tensors were renamed.
     */
    public int renamePrefix(String from, String to) {
        int count = renameAll(entries, k -> k.startsWith(from) ? to + k.substring(from.length()) : k);
        if (metadata != null) {
            String fromModule = stripDot(from);
            String toModule = stripDot(to);
            renameAll(metadata, k -> k.equals(fromModule) ? toModule
                    : k.startsWith(fromModule + ".") ? toModule + k.substring(fromModule.length()) : k);
        }
        return count;
    }

    private static String stripDot(String prefix) {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    /** Rebuilds the map with renamed string keys, keeping order; fails before changing anything on a clash. */
    private static int renameAll(Map<Object, Object> map, UnaryOperator<String> rename) {
        Map<Object, Object> renamed = new LinkedHashMap<>();
        int count = 0;
        for (Map.Entry<Object, Object> entry : map.entrySet()) {
            Object key = entry.getKey();
            Object newKey = key instanceof String s ? rename.apply(s) : key;
            if (!newKey.equals(key)) {
                count++;
            }
            if (renamed.put(newKey, entry.getValue()) != null) {
                throw new IllegalArgumentException("renaming would give two entries the name '" + newKey + "'");
            }
        }
        map.clear();
        map.putAll(renamed);
        return count;
    }

    public int size() {
        return entries.size();
    }

    /** The live entries map. */
    public Map<Object, Object> entries() {
        return entries;
    }
}
