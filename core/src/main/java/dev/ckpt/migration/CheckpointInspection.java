package dev.ckpt.migration;

import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint says about its own migrations, read without any code base: its records and
 * its history. This is what {@code inspect} shows outside a project.
 *
 * @param records the {@code migrations} records, oldest first
 * @param history the history entries, as {@code type name} lines
 */
public record CheckpointInspection(Path file, List<MigrationRecord> records, List<String> history) {

    public static CheckpointInspection of(Path file) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            CheckpointRecords records = new CheckpointRecords(file, archive.rootDict());
            List<String> history = new ArrayList<>();
            Node entries = Node.of(archive.root()).path("hyper_parameters.metadata.migrations.history");
            if (!entries.isMissing() && entries.value() instanceof List<?> list) {
                for (Object entry : list) {
                    Map<Object, Object> fields = Node.mapOrNull(entry);
                    history.add(fields == null ? String.valueOf(entry) : fields.get("type") + " " + fields.get("name"));
                }
            }
            return new CheckpointInspection(file, records.read(), history);
        }
    }

    public String table() {
        StringBuilder out = new StringBuilder("Checkpoint: " + file + "\n");
        out.append(records.isEmpty() ? "No migration records.\n" : String.format("%-45s %-12s %-6s %s\n", "MIGRATION", "VERSION", "FINAL", "ROLLBACK"));
        for (MigrationRecord record : records) {
            String rollback = record.hasEmbeddedJvmRollback() ? "embedded (JVM)" : record.hasPythonRollback() ? "Python" : "none";
            String version = record.appVersion(null);
            out.append(String.format("%-45s %-12s %-6s %s\n", record.name(), version == null ? "?" : version, record.isFinal() ? "yes" : "no", rollback));
        }
        if (!history.isEmpty()) {
            out.append("History:\n");
            history.forEach(h -> out.append("  ").append(h).append('\n'));
        }
        return out.toString();
    }
}
