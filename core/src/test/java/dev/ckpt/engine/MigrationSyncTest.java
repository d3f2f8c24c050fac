package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.check;
import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.MigrationOracle.listing;
import static dev.ckpt.engine.MigrationOracle.py;
import static dev.ckpt.engine.Operation.Type.MIGRATE;
import static dev.ckpt.engine.Operation.Type.ROLLBACK;
import static dev.ckpt.engine.Scenarios.ALL;
import static dev.ckpt.engine.Scenarios.BAR;
import static dev.ckpt.engine.Scenarios.BAZ;
import static dev.ckpt.engine.Scenarios.FINAL;
import static dev.ckpt.engine.Scenarios.FOO;
import static dev.ckpt.engine.Scenarios.OLD;
import static dev.ckpt.engine.Scenarios.RECENT;
import static dev.ckpt.engine.Scenarios.RENAME;
import static dev.ckpt.engine.Scenarios.bytes;
import static dev.ckpt.engine.Scenarios.describe;
import static dev.ckpt.engine.Scenarios.line;
import static dev.ckpt.engine.Scenarios.migrator;
import static dev.ckpt.engine.Scenarios.name;
import static dev.ckpt.engine.Scenarios.names;
import static dev.ckpt.engine.Scenarios.prepare;
import static dev.ckpt.engine.Scenarios.recordNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.scenarios.more.M1760000000_add_qux;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference's sync scenarios (anemoi-models tests/migrations) on real torch.save files:
 * which migrations run, which are rolled back, which checkpoints are refused, and what the
 * checkpoint records, each result checked with torch.load.
 */
@Tag("torch")
class MigrationSyncTest {
    @TempDir
    Path dir;

    @Test
    void runsEveryMigrationInOrderOnACheckpointWithoutRecords() throws IOException {
        Path file = fixture("fresh", dir);
        MigrationPlan plan = migrator(OLD).plan(file);
        assertTrue(plan.compatible() && plan.registered().isEmpty() && plan.extra().isEmpty(), plan.toString());
        assertEquals(names(OLD), plan.missing().stream().map(op -> op.name().toString()).toList());

        MigrationReport report = migrator(OLD).apply(file);

        assertEquals(List.of(line(MIGRATE, FOO, "0.8.0"), line(MIGRATE, BAR, "0.8.1"), line(MIGRATE, BAZ, "0.8.1"),
                line(MIGRATE, RENAME, Scenarios.NEXT)), report.lines(), "all run, in order; %NEXT_VERSION% is replaced");
        assertTrue(report.written());
        assertTrue(migrator(OLD).plan(file).isUpToDate());
        List<Map<String, String>> versions = List.of(versions("0.8.0"), versions("0.8.1"), versions("0.8.1"), versions(Scenarios.NEXT));
        List<String> signatures = OLD.stream().map(Scenarios::signature).toList();
        check(dir, """
                ck = load(sys.argv[1])
                recs = records(ck)
                assert names(ck) == %s, names(ck)
                assert [r["metadata"]["versions"] for r in recs] == %s, recs
                assert [r["metadata"]["final"] for r in recs] == [False] * 4
                assert [r["signature"] for r in recs] == %s
                assert [r["setup_context"] for r in recs] == [None] * 4
                assert history(ck) == [("migrate", n) for n in %1$s], history(ck)
                assert [e["signature"] for e in ck["hyper_parameters"]["metadata"]["migrations"]["history"]] == %3$s
                assert (ck["foo"], ck["bar"], ck["test"]) == ("foo", "bar", "baz") and "baz" not in ck, ck
                assert ck["hyper_parameters"]["lr"] == 0.1 and ck["pytorch-lightning_version"] == "2.0.0"
                assert torch.equal(ck["state_dict"]["w"], torch.arange(4.0))
                """.formatted(py(names(OLD)), py(versions), py(signatures)), file);
    }

    @Test
    void refusesACheckpointWithoutRecordsWhenAFinalMigrationExists() throws IOException {
        Path file = fixture("fresh", dir);
        byte[] before = bytes(file);

        MigrationPlan plan = migrator(ALL).plan(file);
        assertFalse(plan.compatible());
        assertEquals("0.9.0", plan.firstIncompatibleVersion());
        assertTrue(plan.operations().isEmpty());
        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class, () -> migrator(ALL).apply(file));

        assertTooOld(e, file, "0.9.0");
        assertArrayEquals(before, bytes(file), "a refused checkpoint is not touched");
        assertEquals(List.of("model.ckpt"), listing(dir));
    }

    @Test
    void refusesACheckpointFromTheGroupBeforeTheFinalMigration() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, OLD.toArray(Class<?>[]::new));
        byte[] before = bytes(file);

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class, () -> migrator(ALL).apply(file));

        assertTooOld(e, file, "0.9.0");
        assertEquals("0.9.0", migrator(ALL).plan(file).firstIncompatibleVersion());
        assertArrayEquals(before, bytes(file));
        assertEquals(List.of("model.ckpt"), listing(dir));
    }

    @Test
    void runsOnlyTheMissingMigrationsOnAPartlyMigratedCheckpoint() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO);

        MigrationReport report = migrator(OLD).apply(file);

        assertEquals(names(FOO), report.plan().registered().stream().map(MigrationRecord::name).toList());
        assertEquals(List.of("MIGRATE " + name(BAR), "MIGRATE " + name(BAZ), "MIGRATE " + name(RENAME)), describe(report.plan().operations()));
        check(dir, """
                ck = load(sys.argv[1])
                records(ck)
                assert names(ck) == %s, names(ck)
                assert history(ck) == [("migrate", n) for n in %1$s], history(ck)
                assert (ck["foo"], ck["bar"], ck["test"]) == ("foo", "bar", "baz") and "baz" not in ck, ck
                """.formatted(py(names(OLD))), file);
    }

    /** The reference's example: the checkpoint's E (here baz, rename) is not where the code has it. */
    @Test
    void rollsBackExtraMigrationsNoLongerAtTheEndNewestFirstThenAppliesTheRest() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAZ, RENAME);

        MigrationPlan plan = migrator(OLD).plan(file);
        assertEquals(List.of("ROLLBACK " + name(RENAME), "ROLLBACK " + name(BAZ),
                "MIGRATE " + name(BAR), "MIGRATE " + name(BAZ), "MIGRATE " + name(RENAME)), describe(plan.operations()));
        assertTrue(plan.canRun(), plan.blockers().toString());
        MigrationReport report = migrator(OLD).apply(file);

        assertEquals(List.of(line(ROLLBACK, RENAME, Scenarios.NEXT), line(ROLLBACK, BAZ, "0.8.1"), line(MIGRATE, BAR, "0.8.1"),
                line(MIGRATE, BAZ, "0.8.1"), line(MIGRATE, RENAME, Scenarios.NEXT)), report.lines());
        check(dir, """
                ck = load(sys.argv[1])
                records(ck)
                assert names(ck) == %s, names(ck)
                foo, bar, baz, rename = %1$s
                assert history(ck) == [("migrate", foo), ("migrate", baz), ("migrate", rename),
                                       ("rollback", rename), ("rollback", baz),
                                       ("migrate", bar), ("migrate", baz), ("migrate", rename)], history(ck)
                assert (ck["foo"], ck["bar"], ck["test"]) == ("foo", "bar", "baz") and "baz" not in ck, ck
                """.formatted(py(names(OLD))), file);
    }

    /** The code no longer has add_qux, so only the rollback embedded in its record can undo it. */
    @Test
    void rollsBackAnExtraMigrationTheCodeNoLongerHasWithItsEmbeddedRollback() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR, M1760000000_add_qux.class);

        MigrationPlan plan = migrator(OLD).plan(file);
        assertEquals(List.of("ROLLBACK " + name(M1760000000_add_qux.class), "MIGRATE " + name(BAZ), "MIGRATE " + name(RENAME)),
                describe(plan.operations()));
        assertTrue(plan.operations().get(0).usesEmbeddedRollback());
        assertTrue(plan.canRun(), "the checkpoint carries add_qux's rollback: " + plan.blockers());
        MigrationReport report = migrator(OLD).apply(file);

        assertEquals(line(ROLLBACK, M1760000000_add_qux.class, "0.8.5"), report.lines().get(0));
        check(dir, """
                ck = load(sys.argv[1])
                records(ck)
                assert names(ck) == %s, names(ck)
                assert "qux" not in ck and ck["test"] == "baz", ck
                assert history(ck)[-3:] == [("rollback", %s), ("migrate", %s), ("migrate", %s)], history(ck)
                """.formatted(py(names(OLD)), py(name(M1760000000_add_qux.class)), py(name(BAZ)), py(name(RENAME))), file);
    }

    /** The shorter code base has neither baz nor rename_baz: their embedded rollbacks undo them. */
    @Test
    void syncingWithAShorterMigrationListRollsBackTheExtrasNewestFirst() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, OLD.toArray(Class<?>[]::new));

        MigrationReport report = migrator(FOO, BAR).apply(file);

        assertEquals(List.of(line(ROLLBACK, RENAME, Scenarios.NEXT), line(ROLLBACK, BAZ, "0.8.1")), report.lines());
        check(dir, """
                ck = load(sys.argv[1])
                records(ck)
                assert names(ck) == %s, names(ck)
                assert "test" not in ck and "baz" not in ck and ck["bar"] == "bar", ck
                assert history(ck)[-2:] == [("rollback", %s), ("rollback", %s)], history(ck)
                """.formatted(py(names(FOO, BAR)), py(name(RENAME)), py(name(BAZ))), file);
    }

    /** The reference's test_migrate_recent_model: a checkpoint registered after the final migration. */
    @Test
    void migratesARecentCheckpointWithOnlyTheNewerMigration() throws IOException {
        Path file = fixture("recent", dir);

        MigrationReport report = migrator(ALL).apply(file);

        assertEquals(List.of(line(MIGRATE, RECENT, Scenarios.NEXT)), report.lines());
        assertEquals(dir.resolve(".ckpt-backups/model-v0.9.0-1.ckpt.bak"), report.backup());
        check(dir, """
                ck = load(sys.argv[1])
                recs = records(ck)
                assert names(ck) == [%s, %s], names(ck)
                assert recs[0]["metadata"] == {"versions": {"migration": "1.0.0", "anemoi-models": "0.9.0"}, "final": True}
                assert recs[0]["signature"] == "1751895180_final", "the existing record is kept as it was"
                assert recs[1]["metadata"] == {"versions": {"migration": "1.0.0", "anemoi-models": "%s"}, "final": False}
                assert ck["after"] == "after"
                assert history(ck) == [("migrate", %2$s)], history(ck)
                """.formatted(py(name(FINAL)), py(name(RECENT)), Scenarios.NEXT), file);
    }

    /**
     * The reference compares from the end: the checkpoint [foo, baz, rename] against the code
     * [foo, bar, rename] keeps baz (the last records agree), and runs the missing bar after them.
     */
    @Test
    void historyDivergingInTheMiddleIsHandledAsTheReferenceDoes() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAZ, RENAME);

        MigrationPlan plan = migrator(FOO, BAR, RENAME).plan(file);
        assertEquals(List.of("MIGRATE " + name(BAR)), describe(plan.operations()));
        migrator(FOO, BAR, RENAME).apply(file);

        assertEquals(names(FOO, BAZ, RENAME, BAR), recordNames(file));
        Map<Object, Object> root = Scenarios.root(file);
        assertEquals("bar", root.get("bar"));
        assertEquals("baz", root.get("test"));
    }

    /**
     * The reference's test_extra_migration: an extra record named "dummy" (not a name this tool
     * writes) whose rollback is a Python function. The plan is refused, with the reason.
     */
    @Test
    void anExtraRecordWithAPythonRollbackBlocksTheSync() throws IOException {
        Path file = fixture("dummy", dir);
        byte[] before = bytes(file);

        MigrationPlan plan = migrator(OLD).plan(file);
        assertEquals(List.of("dummy has only a Python rollback, which cannot run on the JVM (if what it changed no longer matters, drop its record,"
                + " noted in the history: mvn checkpoint:forget -Dcheckpoint=<file> -Dmigration=dummy)"), plan.blockers());
        assertFalse(plan.canRun());
        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class, () -> migrator(OLD).apply(file));

        assertTrue(e.getMessage().contains("dummy has only a Python rollback"), e.getMessage());
        assertArrayEquals(before, bytes(file));
        assertEquals(List.of("model.ckpt"), listing(dir));
    }

    @Test
    void refusesACheckpointWhoseFirstMigrationTheCodeDoesNotKnow() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR);
        byte[] before = bytes(file);

        MigrationPlan plan = migrator(BAR, BAZ).plan(file);
        assertFalse(plan.compatible());
        assertTrue(plan.incompatibility().contains(name(FOO) + " is unknown to this code base"), plan.incompatibility());
        assertThrows(IncompatibleCheckpointException.class, () -> migrator(BAR, BAZ).apply(file));
        assertArrayEquals(before, bytes(file));
    }

    @Test
    void reportsMigrationsThatRanWithCodeThatHasChangedSince() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR);
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> barRecord = (Map<Object, Object>) ((List<?>) archive.rootDict().get("migrations")).get(1);
            barRecord.put("signature", "0123456789abcdef");
            archive.write(file);
        }

        MigrationPlan plan = migrator(OLD).plan(file);
        assertEquals(List.of(name(BAR)), plan.changedSignatures());
        MigrationReport applied = migrator(OLD).apply(file);
        MigrationReport upToDate = migrator(OLD).apply(file);

        for (MigrationReport report : List.of(applied, upToDate)) {
            assertTrue(report.warnings().stream().anyMatch(w -> w.contains(name(BAR)) && w.contains("signature")), report.warnings().toString());
            assertFalse(report.warnings().stream().anyMatch(w -> w.contains(name(FOO))), report.warnings().toString());
        }
        assertEquals(List.of("already up to date"), upToDate.lines());
        assertFalse(upToDate.written());
    }

    private static Map<String, String> versions(String version) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("migration", "1.0.0");
        versions.put(MigrationOracle.APP, version);
        return versions;
    }

    private static void assertTooOld(IncompatibleCheckpointException e, Path file, String version) {
        String message = e.getMessage();
        assertTrue(message.contains(file.toString()), message);
        assertTrue(message.contains("No compatible migration available: the checkpoint is too old. Use a version of"), message);
        assertTrue(message.contains(" < " + version + "."), message);
    }
}
