package dev.ckpt.migration;

import java.util.Map;

/** STUB until the real implementation lands. */
final class EmbeddedRollback {
    private EmbeddedRollback() {
    }

    static Map<Object, Object> capture(Class<? extends Migration> migration) {
        return new java.util.LinkedHashMap<>(Map.of("format", "stub", "class", migration.getName()));
    }

    static boolean isEmbedded(Object recordValue) {
        return recordValue instanceof Map<?, ?> map && map.containsKey("classes");
    }

    static Reversible load(Object recordValue, boolean trusted) {
        throw new UnsupportedOperationException("stub");
    }
}
