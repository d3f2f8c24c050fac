package dev.ckpt.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ckpt.io.HumanSize;
import dev.ckpt.pickle.DictLike;
import dev.ckpt.pickle.ValuePrinter;
import dev.ckpt.torch.GlobalSafety;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint says about its own migrations, read without any code base: its records and
 * its history. This is what {@code inspect} shows outside a project.
 *
 * @param records the {@code migrations} records, oldest first
 * @param history the history entries, as {@code type name} lines
 * @param dangerousGlobals the globals the file names that can run code when unpickled, each with
 *                why ({@link dev.ckpt.torch.GlobalSafety}); apply refuses to write such a file back
 * @param size the file's size in bytes
 * @param deadBytes bytes no record covers ({@link TorchCheckpoint#deadBytes()})
 */
public record CheckpointInspection(Path file, List<MigrationRecord> records, List<String> history, List<String> dangerousGlobals,
                                   long size, long deadBytes) {

    public static CheckpointInspection of(Path file) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            CheckpointRecords records = CheckpointRecords.of(file, archive);
            List<String> history = new ArrayList<>();
            for (Object entry : records.historyEntries()) {
                Map<Object, Object> fields = DictLike.entriesOrNull(entry);
                // printed within bounds: an entry may be a list nested without end
                history.add(fields == null ? dev.ckpt.pickle.ValuePrinter.inline(entry)
                        : dev.ckpt.pickle.ValuePrinter.inline(fields.get("type")).replace("'", "") + " "
                        + dev.ckpt.pickle.ValuePrinter.inline(fields.get("name")).replace("'", ""));
            }
            List<String> dangerous = dev.ckpt.torch.GlobalSafety.dangerousAmong(archive.globalsAtOpen()).stream()
                    .map(dev.ckpt.torch.GlobalSafety::described).toList();
            return new CheckpointInspection(file, records.read(), history, dangerous, archive.identity().size(), archive.deadBytes());
        }
    }

    public String table() {
        StringBuilder out = new StringBuilder("Checkpoint: " + file + "\n");
        out.append(sizeLine(size, deadBytes)).append('\n');
        if (records.isEmpty()) {
            out.append("No migration records.\n");
        } else {
            TextTable table = new TextTable("MIGRATION", "VERSION", "FINAL", "ROLLBACK");
            records.forEach(record -> table.row(record.name(), versionOf(record), record.isFinal() ? "yes" : "no", rollbackOf(record)));
            out.append(table);
        }
        if (!history.isEmpty()) {
            out.append("History:\n");
            history.forEach(h -> out.append("  ").append(h).append('\n'));
        }
        if (!dangerousGlobals.isEmpty()) {
            out.append("WARNING: it names globals that run code when torch.load unpickles it (a malicious file?):\n");
            dangerousGlobals.forEach(g -> out.append("  ").append(g).append('\n'));
        }
        return out.toString();
    }

    /**
     * The same as {@link #table()}, for tools: {@code checkpoint}, {@code records} (name, version,
     * final, rollback: {@code embedded (JVM)}, {@code Python} or {@code none}, signature) and
     * {@code history} ({@code "<type> <name>"} entries, oldest first) and {@code dangerousGlobals}.
     */
    public String json() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (MigrationRecord record : records) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", record.name());
            row.put("version", versionOf(record));
            row.put("final", record.isFinal());
            row.put("rollback", rollbackOf(record));
            row.put("signature", record.signature());
            rows.add(row);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("checkpoint", file.toString());
        doc.put("records", rows);
        doc.put("history", history);
        doc.put("dangerousGlobals", dangerousGlobals);
        doc.put("size", size);
        doc.put("deadBytes", deadBytes);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code Size: 2.0 GB, of which 119 kB dead (...)}: what the file weighs, and what compacting it would drop. */
    public static String sizeLine(long size, long deadBytes) {
        String line = "Size: " + HumanSize.of(size);
        return deadBytes == 0 ? line + " (no dead bytes)" : line + ", of which " + HumanSize.of(deadBytes) + " dead: the pickle an"
                + " earlier rewrite left behind when it took the tensor data over as it was (-Dcheckpoint.compact on a rewrite drops it)";
    }

    private static String versionOf(MigrationRecord record) {
        String version = record.appVersion(null);
        return version == null ? "?" : version;
    }

    private static String rollbackOf(MigrationRecord record) {
        return record.hasEmbeddedJvmRollback() ? "embedded (JVM)" : record.hasPythonRollback() ? "Python" : "none";
    }
}
