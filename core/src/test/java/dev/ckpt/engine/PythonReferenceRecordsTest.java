package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.check;
import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.MigrationOracle.listing;
import static dev.ckpt.engine.MigrationOracle.py;
import static dev.ckpt.engine.Scenarios.BAR;
import static dev.ckpt.engine.Scenarios.FOO;
import static dev.ckpt.engine.Scenarios.bytes;
import static dev.ckpt.engine.Scenarios.describe;
import static dev.ckpt.engine.Scenarios.migrator;
import static dev.ckpt.engine.Scenarios.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PyObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records written by the Python reference: a {@code MigrationMetadata} dataclass instead of a
 * dict, and a cloudpickled rollback object. They are read, kept untouched, and their rollback is
 * reported as impossible on the JVM.
 */
@Tag("torch")
class PythonReferenceRecordsTest {
    @TempDir
    Path dir;

    @Test
    void recordsOfThePythonReferenceAreReadAndKeptIntactOnApply() throws IOException {
        Path file = fixture("pyref", dir);

        MigrationPlan plan = migrator(FOO, BAR).plan(file);

        MigrationRecord record = plan.registered().get(0);
        assertEquals(name(FOO), record.name());
        assertEquals(Map.of("migration", "1.0.0", MigrationOracle.APP, "0.8.0"), record.versions());
        assertEquals("0.8.0", record.appVersion(MigrationOracle.APP));
        assertFalse(record.isFinal());
        assertEquals("3f5a9c", record.signature());
        assertTrue(record.hasPythonRollback());
        assertFalse(record.hasEmbeddedJvmRollback());
        assertEquals(List.of("MIGRATE " + name(BAR)), describe(plan.operations()));

        MigrationReport report = migrator(FOO, BAR).apply(file);

        assertEquals(dir.resolve(".ckpt-backups/model-v0.8.0-1.ckpt.bak"), report.backup());
        Object kept = ((List<?>) Scenarios.root(file).get("migrations")).get(0);
        assertInstanceOf(PyObject.class, ((Map<?, ?>) kept).get("metadata"));
        Path withReference = dir.resolve("with-reference");
        MigrationOracle.referenceModule(withReference);
        check(withReference, """
                from anemoi.models.migrations.migrator import MigrationMetadata, _SerializedRollback
                ck = load(sys.argv[1])
                recs = records(ck, first=1)
                assert names(ck) == [%s, %s], names(ck)
                python = recs[0]
                assert python["metadata"] == MigrationMetadata(versions={"migration": "1.0.0", "anemoi-models": "0.8.0"}, final=False)
                assert type(python["rollback"]) is _SerializedRollback
                assert python["rollback"]._rollback_bytes == %s.encode()
                assert python["signature"] == "3f5a9c" and python["setup_context"] is None
                assert ck["foo"] == "foo" and ck["bar"] == "bar"
                assert history(ck) == [("migrate", %2$s)], history(ck)
                """.formatted(py(name(FOO)), py(name(BAR)), py(MigrationOracle.PYTHON_ROLLBACK_BYTES)), file);
    }

    @Test
    void aPythonRollbackIsReportedAsUnableToRunOnTheJvm() throws IOException {
        Path file = fixture("pyref", dir);
        byte[] before = bytes(file);

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
                () -> migrator(BAR).rollbackLast(file, 1));

        assertTrue(e.getMessage().contains(name(FOO) + " has only a Python rollback, which cannot run on the JVM"), e.getMessage());
        assertArrayEquals(before, bytes(file));
        assertEquals(List.of("model.ckpt"), listing(dir));
    }
}
