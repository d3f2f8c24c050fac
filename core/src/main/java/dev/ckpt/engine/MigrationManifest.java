package dev.ckpt.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What training code needs to save checkpoints already registered: the current code's migrations
 * (names, versions, signatures, final flags), the application key, and the exact records
 * {@code register} would write, as JSON. The build puts it at {@value #RESOURCE} in the migrations
 * artifact; the {@code ckpt_migrations} Python package (a Lightning callback, a function for plain
 * {@code torch.save} dicts) stamps {@code records} into every checkpoint it saves.
 */
public final class MigrationManifest {
    public static final String RESOURCE = "META-INF/ckpt/migrations.json";
    public static final int FORMAT = 1;

    private MigrationManifest() {
    }

    /** The manifest of {@code migrations}' last compatibility group, as {@code register} with these options would stamp it. */
    public static String json(MigrationSet migrations, MigratorOptions options) {
        List<Object> summary = new ArrayList<>();
        List<Object> records = new ArrayList<>();
        for (MigrationDescriptor migration : migrations.lastGroup()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", migration.name().toString());
            entry.put("version", migration.version(options.nextVersion()));
            entry.put("final", migration.isFinal());
            entry.put("signature", migration.signature());
            summary.add(entry);
            records.add(CheckpointRecords.recordOf(migration, options.appKey(), options.nextVersion(),
                    Migrator.embeddedRollback(migration)));
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("appKey", options.appKey());
        manifest.put("version", options.nextVersion());
        manifest.put("migrations", summary);
        manifest.put("records", records);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(manifest) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a manifest of plain values cannot fail to serialize", e);
        }
    }
}
