package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.Scenarios.FOO;
import static dev.ckpt.engine.Scenarios.name;
import static dev.ckpt.engine.Scenarios.prepare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ckpt.engine.scenarios.more.M1760000001_keep_forever;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON form of an inspection ({@code inspect -Djson=FILE} outside a project): the table's facts, for tools. */
@Tag("torch")
class CheckpointInspectionJsonTest {
    private static final Class<?> KEEP = M1760000001_keep_forever.class;

    @TempDir
    Path dir;

    @Test
    void holdsEachRecordWithItsVersionFinalityRollbackAndSignatureThenTheHistory() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, KEEP);
        CheckpointInspection inspection = CheckpointInspection.of(file);

        JsonNode json = new ObjectMapper().readTree(inspection.json());

        assertEquals(file.toString(), json.path("checkpoint").asText());
        JsonNode records = json.path("records");
        assertEquals(2, records.size());
        assertEquals(name(FOO), records.path(0).path("name").asText());
        assertEquals("0.8.0", records.path(0).path("version").asText());
        assertEquals(false, records.path(0).path("final").asBoolean());
        assertEquals("embedded (JVM)", records.path(0).path("rollback").asText());
        assertEquals(inspection.records().get(0).signature(), records.path(0).path("signature").asText());
        assertEquals("none", records.path(1).path("rollback").asText(), "keep_forever has no rollback");
        assertEquals(List.of("migrate " + name(FOO), "migrate " + name(KEEP)),
                List.of(json.path("history").path(0).asText(), json.path("history").path(1).asText()));
    }

    @Test
    void aCheckpointWithoutRecordsHasEmptyLists() throws IOException {
        Path file = fixture("fresh", dir);

        JsonNode json = new ObjectMapper().readTree(CheckpointInspection.of(file).json());

        assertTrue(json.path("records").isArray() && json.path("records").isEmpty());
        assertTrue(json.path("history").isArray() && json.path("history").isEmpty());
    }
}
