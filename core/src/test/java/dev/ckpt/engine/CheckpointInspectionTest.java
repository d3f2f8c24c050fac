package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.Scenarios.BAR;
import static dev.ckpt.engine.Scenarios.FOO;
import static dev.ckpt.engine.Scenarios.OPTIONS;
import static dev.ckpt.engine.Scenarios.bytes;
import static dev.ckpt.engine.Scenarios.migrator;
import static dev.ckpt.engine.Scenarios.name;
import static dev.ckpt.engine.Scenarios.names;
import static dev.ckpt.engine.Scenarios.prepare;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.scenarios.more.M1760000001_keep_forever;
import dev.ckpt.io.HumanSize;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a checkpoint says about its migrations, read without any code base ({@code inspect} outside a project). */
@Tag("torch")
class CheckpointInspectionTest {
    private static final Class<?> KEEP = M1760000001_keep_forever.class;

    @TempDir
    Path dir;

    @Test
    void aMigratedCheckpointShowsItsRecordsTheirRollbacksAndItsHistory() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR, KEEP);
        byte[] before = bytes(file);

        CheckpointInspection inspection = CheckpointInspection.of(file);

        assertEquals(file, inspection.file());
        List<MigrationRecord> records = inspection.records();
        assertEquals(names(FOO, BAR, KEEP), records.stream().map(MigrationRecord::name).toList());
        assertEquals(List.of(true, true, false), records.stream().map(MigrationRecord::hasEmbeddedJvmRollback).toList(),
                "reversible migrations carry their rollback; keep_forever has none");
        assertEquals(List.of(false, false, false), records.stream().map(MigrationRecord::hasPythonRollback).toList());
        assertEquals(List.of("0.8.0", "0.8.1", "0.8.5"), records.stream().map(r -> r.appVersion(null)).toList());
        assertEquals(List.of("migrate " + name(FOO), "migrate " + name(BAR), "migrate " + name(KEEP)), inspection.history());
        assertArrayEquals(before, bytes(file), "inspecting writes nothing");

        List<String> table = List.of(inspection.table().split("\n"));
        assertEquals("Checkpoint: " + file, table.get(0));
        assertEquals(CheckpointInspection.sizeLine(Files.size(file), TorchCheckpoint.deadBytes(file)), table.get(1));
        assertEquals(List.of("MIGRATION", "VERSION", "FINAL", "ROLLBACK"), words(table.get(2)));
        assertEquals(List.of(name(FOO), "0.8.0", "no", "embedded", "(JVM)"), words(table.get(3)));
        assertEquals(List.of(name(BAR), "0.8.1", "no", "embedded", "(JVM)"), words(table.get(4)));
        assertEquals(List.of(name(KEEP), "0.8.5", "no", "none"), words(table.get(5)));
        assertEquals(List.of("History:", "  migrate " + name(FOO), "  migrate " + name(BAR), "  migrate " + name(KEEP)),
                table.subList(6, table.size()));
    }

    @Test
    void rollbacksAppearInTheHistoryAndRemoveTheRecord() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR);
        migrator(OPTIONS.withBackup(false), List.of(FOO, BAR)).rollbackLast(file, 1);

        CheckpointInspection inspection = CheckpointInspection.of(file);

        assertEquals(names(FOO), inspection.records().stream().map(MigrationRecord::name).toList());
        assertEquals(List.of("migrate " + name(FOO), "migrate " + name(BAR), "rollback " + name(BAR)), inspection.history());
    }

    @Test
    void recordsOfThePythonReferenceShowAPythonRollback() throws IOException {
        Path file = fixture("pyref", dir);

        CheckpointInspection inspection = CheckpointInspection.of(file);

        MigrationRecord record = inspection.records().get(0);
        assertEquals(name(FOO), record.name());
        assertTrue(record.hasPythonRollback());
        assertFalse(record.hasEmbeddedJvmRollback());
        assertEquals("0.8.0", record.appVersion(MigrationOracle.APP));
        assertEquals(List.of(), inspection.history(), "the reference keeps no history here");
        List<String> table = List.of(inspection.table().split("\n"));
        assertEquals(List.of(name(FOO), "0.8.0", "no", "Python"), words(table.get(3)));
        assertEquals(4, table.size(), "no History section");
    }

    @Test
    void aFunctionRollbackPickledByReferenceIsAPythonRollbackAndAFinalRecordSaysSo() throws IOException {
        Path dummy = fixture("dummy", Files.createDirectory(dir.resolve("dummy")));
        Path recent = fixture("recent", Files.createDirectory(dir.resolve("recent")));

        CheckpointInspection extra = CheckpointInspection.of(dummy);
        CheckpointInspection fin = CheckpointInspection.of(recent);

        assertEquals(List.of("none", "Python"), extra.records().stream().map(CheckpointInspectionTest::rollbackKind).toList());
        assertEquals(List.of("dummy", "x.x.x", "no", "Python"), words(extra.table().split("\n")[4]));
        assertEquals(List.of("1751895180_final", "0.9.0", "yes", "none"), words(fin.table().split("\n")[3]));
        assertTrue(fin.records().get(0).isFinal());
    }

    @Test
    void aCheckpointWithoutRecordsSaysSo() throws IOException {
        Path file = fixture("fresh", dir);

        CheckpointInspection inspection = CheckpointInspection.of(file);

        assertEquals(List.of(), inspection.records());
        assertEquals(List.of(), inspection.history());
        assertEquals("Checkpoint: " + file + "\nSize: " + HumanSize.of(Files.size(file)) + " (no dead bytes)\nNo migration records.\n",
                inspection.table());
    }

    private static String rollbackKind(MigrationRecord record) {
        return record.hasEmbeddedJvmRollback() ? "embedded (JVM)" : record.hasPythonRollback() ? "Python" : "none";
    }

    private static List<String> words(String line) {
        return List.of(line.strip().split("\\s+"));
    }
}
