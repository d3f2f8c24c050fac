package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.Scenarios.ALL;
import static dev.ckpt.engine.Scenarios.BAR;
import static dev.ckpt.engine.Scenarios.BAZ;
import static dev.ckpt.engine.Scenarios.FOO;
import static dev.ckpt.engine.Scenarios.OLD;
import static dev.ckpt.engine.Scenarios.RENAME;
import static dev.ckpt.engine.Scenarios.migrator;
import static dev.ckpt.engine.Scenarios.name;
import static dev.ckpt.engine.Scenarios.names;
import static dev.ckpt.engine.Scenarios.prepare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ckpt.engine.scenarios.more.M1760000000_add_qux;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect}'s output for plans of real checkpoints: a table for people, JSON (Jackson) for tools. */
@Tag("torch")
class PlanReportTest {
    private static final Class<?> QUX = M1760000000_add_qux.class;

    @TempDir
    Path dir;

    @Test
    void aPartlyMigratedCheckpointHasAppliedAndMissingRows() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR);
        MigrationPlan plan = migrator(OLD).plan(file);

        JsonNode json = json(file, plan);
        assertTrue(json.get("compatible").asBoolean());
        assertTrue(json.get("incompatibility").isNull());
        assertFalse(json.get("upToDate").asBoolean());
        assertEquals(file.toString(), json.get("checkpoint").asText());
        assertEquals(names(FOO, BAR), texts(json.get("registered")));
        assertEquals(names(BAZ, RENAME), texts(json.get("missing")));
        assertEquals(List.of(), texts(json.get("extra")));
        assertEquals(List.of(), texts(json.get("blockers")));
        assertEquals(List.of(
                        row(FOO, "0.8.0", "applied", ""),
                        row(BAR, "0.8.1", "applied", ""),
                        row(BAZ, "0.8.1", "missing", "to run"),
                        row(RENAME, Scenarios.NEXT, "missing", "to run")),
                rows(json));

        List<String> table = lines(PlanReport.table(file, plan));
        assertEquals("Checkpoint: " + file, table.get(0));
        assertEquals(List.of("MIGRATION", "VERSION", "STATUS", "NOTE"), words(table.get(1)));
        assertEquals(List.of(name(FOO), "0.8.0", "applied"), words(table.get(2)));
        assertEquals(List.of(name(BAR), "0.8.1", "applied"), words(table.get(3)));
        assertEquals(List.of(name(BAZ), "0.8.1", "missing", "to", "run"), words(table.get(4)));
        assertEquals(List.of(name(RENAME), Scenarios.NEXT, "missing", "to", "run"), words(table.get(5)));
        assertEquals("Compatible: yes", table.get(6));
        assertEquals(7, table.size(), String.join("\n", table));
    }

    @Test
    void anUpToDateCheckpointSaysSo() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, OLD.toArray(Class<?>[]::new));
        MigrationPlan plan = migrator(OLD).plan(file);

        JsonNode json = json(file, plan);
        assertTrue(json.get("upToDate").asBoolean());
        assertEquals(names(OLD), texts(json.get("registered")));
        assertEquals(List.of(), texts(json.get("missing")));
        assertEquals(List.of(), texts(json.get("extra")));
        assertEquals(List.of("applied", "applied", "applied", "applied"),
                rows(json).stream().map(r -> r.get(2)).toList());
        String table = PlanReport.table(file, plan);
        assertTrue(table.endsWith("Compatible: yes\nAlready up to date.\n"), table);
    }

    @Test
    void aMigrationTheCodeNoLongerHasIsExtraToRollBack() throws IOException {
        Path file = fixture("fresh", dir);
        List<Class<?>> newer = new ArrayList<>(OLD);
        newer.add(QUX);
        prepare(file, newer.toArray(Class<?>[]::new));
        MigrationPlan plan = migrator(OLD).plan(file);

        JsonNode json = json(file, plan);
        assertTrue(json.get("compatible").asBoolean());
        assertEquals(names(newer), texts(json.get("registered")));
        assertEquals(List.of(), texts(json.get("missing")));
        assertEquals(List.of(name(QUX)), texts(json.get("extra")));
        assertEquals(row(QUX, "0.8.5", "extra", "to roll back"), rows(json).get(4));

        List<String> table = lines(PlanReport.table(file, plan));
        assertEquals(List.of(name(QUX), "0.8.5", "extra", "to", "roll", "back"), words(table.get(6)));
    }

    @Test
    void aRecordOfAnotherToolThatCannotBeRolledBackIsExtraAndBlocksThePlan() throws IOException {
        // The reference's test_extra_migration: a record "dummy" with a Python rollback.
        Path file = fixture("dummy", dir);
        MigrationPlan plan = migrator(FOO).plan(file);

        JsonNode json = json(file, plan);
        assertEquals(List.of(name(FOO), "dummy"), texts(json.get("registered")));
        assertEquals(List.of("dummy"), texts(json.get("extra")), "the code does not know it: it is extra");
        assertEquals(List.of("dummy has only a Python rollback, which cannot run on the JVM (if what it changed no longer matters, drop its record,"
                + " noted in the history: mvn checkpoint:forget -Dcheckpoint=<file> -Dmigration=dummy)"), texts(json.get("blockers")));
        assertEquals(List.of("applied", "extra"), rows(json).stream().map(r -> r.get(2)).toList());

        String table = PlanReport.table(file, plan);
        assertTrue(table.contains("Blocked: dummy has only a Python rollback, which cannot run on the JVM (if"), table);
        assertFalse(table.contains("Already up to date"), "a blocked plan is not up to date");
        assertEquals(List.of("dummy", "x.x.x", "extra", "to", "roll", "back"), words(lines(table).get(3)));
    }

    @Test
    void aTooOldCheckpointIsIncompatibleWithTheReferencesMessage() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, OLD.toArray(Class<?>[]::new));
        MigrationPlan plan = migrator(ALL).plan(file);
        String message = "No compatible migration available: the checkpoint is too old. Use a version of "
                + MigrationOracle.APP + " < 0.9.0.";

        JsonNode json = json(file, plan);
        assertFalse(json.get("compatible").asBoolean());
        assertEquals(message, json.get("incompatibility").asText());
        assertEquals("0.9.0", json.get("firstIncompatibleVersion").asText());
        assertFalse(json.get("upToDate").asBoolean());
        assertEquals(names(OLD), texts(json.get("registered")));
        assertEquals(List.of(), texts(json.get("missing")), "nothing can run on it");
        assertEquals(List.of(), texts(json.get("extra")));

        List<String> table = lines(PlanReport.table(file, plan));
        assertEquals(List.of(name(FOO), "0.8.0", "applied"), words(table.get(2)));
        assertEquals("Compatible: no — " + message, table.get(6));
        assertEquals(7, table.size(), String.join("\n", table));
    }

    @Test
    void aMigrationWhoseCodeChangedSinceItRanIsNoted() throws IOException {
        Path file = fixture("pyref", dir);  // add_foo ran with the signature "3f5a9c"
        MigrationPlan plan = migrator(FOO).plan(file);

        JsonNode json = json(file, plan);
        assertEquals(List.of(name(FOO)), texts(json.get("changedSignatures")));
        assertEquals(row(FOO, "0.8.0", "applied", "code changed since it ran"), rows(json).get(0));
        String table = PlanReport.table(file, plan);
        assertTrue(table.contains("Changed since it ran: " + name(FOO) + "\n"), table);
    }

    private static JsonNode json(Path file, MigrationPlan plan) throws IOException {
        String text = PlanReport.json(file, plan);
        assertTrue(text.endsWith("\n"));
        return new ObjectMapper().readTree(text);
    }

    private static List<String> texts(JsonNode array) {
        assertTrue(array.isArray(), String.valueOf(array));
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    /** The {@code migrations} rows as [name, version, status, note]. */
    private static List<List<String>> rows(JsonNode json) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : json.get("migrations")) {
            List<String> fields = new ArrayList<>();
            row.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("name", "version", "status", "note"), fields);
            rows.add(List.of(row.get("name").asText(), row.get("version").asText(), row.get("status").asText(), row.get("note").asText()));
        }
        return rows;
    }

    private static List<String> row(Class<?> migration, String version, String status, String note) {
        return List.of(name(migration), version, status, note);
    }

    private static List<String> lines(String text) {
        assertTrue(text.endsWith("\n"));
        return List.of(text.split("\n"));
    }

    private static List<String> words(String line) {
        return List.of(line.strip().split("\\s+"));
    }
}
