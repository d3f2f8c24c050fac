package dev.ckpt.diff;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ckpt itself writes into a checkpoint: its migration records ({@code migrations} at the
 * root) and history ({@code hyper_parameters.metadata.migrations}). A diff leaves them out, so that
 * a migrated checkpoint compares with a fresh one by its content alone.
 */
final class Bookkeeping {
    private static final String RECORDS = "migrations";
    private static final String HYPER_PARAMETERS = "hyper_parameters";
    private static final String METADATA = "metadata";

    private Bookkeeping() {
    }

    /**
     * The entries of the dict at {@code path} without ckpt's own; a {@code metadata} dict under
     * {@code hyper_parameters} that held only the history is left out too.
     */
    static Map<Object, Object> visible(String path, Map<Object, Object> entries) {
        if (path.isEmpty() && entries.containsKey(RECORDS)) {
            Map<Object, Object> copy = new LinkedHashMap<>(entries);
            copy.remove(RECORDS);
            return copy;
        }
        if (path.equals(HYPER_PARAMETERS + "." + METADATA) && entries.containsKey(RECORDS)) {
            Map<Object, Object> copy = new LinkedHashMap<>(entries);
            copy.remove(RECORDS);
            return copy;
        }
        if (path.equals(HYPER_PARAMETERS) && entries.get(METADATA) instanceof Map<?, ?> metadata
                && metadata.size() == 1 && metadata.containsKey(RECORDS)) {
            Map<Object, Object> copy = new LinkedHashMap<>(entries);
            copy.remove(METADATA);
            return copy;
        }
        return entries;
    }
}
