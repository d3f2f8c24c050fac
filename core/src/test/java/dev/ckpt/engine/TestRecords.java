package dev.ckpt.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** Migration records as a checkpoint holds them (DESIGN section 6), for tests that build hostile ones by hand. */
public final class TestRecords {
    private TestRecords() {
    }

    public static Map<Object, Object> record(String name, String signature, Object rollback, Object setupContext) {
        Map<Object, Object> versions = new LinkedHashMap<>();
        versions.put("migration", "1.0.0");
        versions.put("application", "1.0.0");
        Map<Object, Object> metadata = new LinkedHashMap<>();
        metadata.put("versions", versions);
        metadata.put("final", false);
        Map<Object, Object> record = new LinkedHashMap<>();
        record.put("name", name);
        record.put("metadata", metadata);
        record.put("signature", signature);
        record.put("rollback", rollback);
        record.put("setup_context", setupContext);
        return record;
    }
}
