package dev.ckpt.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints a {@link MigrationPlan}: a table for people, JSON for tools. */
public final class PlanReport {
    private PlanReport() {
    }

    /** One row per migration, registered or not, with its status, then the plan's notes. */
    public static String table(Path file, MigrationPlan plan) {
        StringBuilder out = new StringBuilder();
        out.append("Checkpoint: ").append(file).append('\n');
        TextTable table = new TextTable("MIGRATION", "VERSION", "STATUS", "NOTE");
        for (Map<String, Object> row : rows(plan)) {
            table.row(row.get("name"), row.get("version"), row.get("status"), row.get("note"));
        }
        out.append(table);
        out.append("Compatible: ").append(plan.compatible() ? "yes" : "no — " + plan.incompatibility()).append('\n');
        if (plan.isUpToDate()) {
            out.append("Already up to date.\n");
        }
        plan.blockers().forEach(b -> out.append("Blocked: ").append(b).append('\n'));
        plan.changedSignatures().forEach(n -> out.append("Changed since it ran: ").append(n).append('\n'));
        return out.toString();
    }

    public static String json(Path file, MigrationPlan plan) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("checkpoint", file.toString());
        doc.put("compatible", plan.compatible());
        doc.put("incompatibility", plan.incompatibility());
        doc.put("firstIncompatibleVersion", plan.firstIncompatibleVersion());
        doc.put("upToDate", plan.isUpToDate());
        doc.put("migrations", rows(plan));
        doc.put("registered", plan.registered().stream().map(MigrationRecord::name).toList());
        doc.put("baseline", plan.baseline().stream().map(op -> op.name().toString()).toList());
        doc.put("missing", plan.missing().stream().map(op -> op.name().toString()).toList());
        doc.put("extra", plan.extraNames());
        doc.put("changedSignatures", plan.changedSignatures());
        doc.put("blockers", plan.blockers());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Map<String, Object>> rows(MigrationPlan plan) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> extra = plan.extraNames();
        for (MigrationRecord record : plan.registered()) {
            String status = extra.contains(record.name()) ? "extra" : "applied";
            String note = plan.changedSignatures().contains(record.name()) ? "code changed since it ran"
                    : status.equals("extra") ? "to roll back" : "";
            rows.add(row(record.name(), versionOf(record, plan), status, note));
        }
        for (Operation stamped : plan.baseline()) {
            rows.add(row(stamped.name().toString(), stamped.version(), "baseline", "to register as applied (not run)"));
        }
        for (Operation op : plan.missing()) {
            rows.add(row(op.name().toString(), op.version(), "missing", "to run"));
        }
        return rows;
    }

    /** The application version a record carries (whatever its key). */
    private static String versionOf(MigrationRecord record, MigrationPlan plan) {
        String version = record.appVersion(null);
        return version == null ? "?" : version;
    }

    private static Map<String, Object> row(String name, String version, String status, String note) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("version", version);
        row.put("status", status);
        row.put("note", note);
        return row;
    }
}
