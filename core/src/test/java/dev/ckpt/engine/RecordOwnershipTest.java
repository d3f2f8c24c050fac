package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.check;
import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.Scenarios.ALL;
import static dev.ckpt.engine.Scenarios.BAR;
import static dev.ckpt.engine.Scenarios.BAZ;
import static dev.ckpt.engine.Scenarios.FINAL;
import static dev.ckpt.engine.Scenarios.FOO;
import static dev.ckpt.engine.Scenarios.OLD;
import static dev.ckpt.engine.Scenarios.OPTIONS;
import static dev.ckpt.engine.Scenarios.RENAME;
import static dev.ckpt.engine.Scenarios.bytes;
import static dev.ckpt.engine.Scenarios.migrator;
import static dev.ckpt.engine.Scenarios.name;
import static dev.ckpt.engine.Scenarios.names;
import static dev.ckpt.engine.Scenarios.prepare;
import static dev.ckpt.engine.Scenarios.recordNames;
import static dev.ckpt.engine.Scenarios.root;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who a checkpoint's records belong to and what apply may assume about them: baselines, the
 * policy for checkpoints without records, another application's records, extras that must not be
 * rolled back, forgetting a record, and the manifest the training callback stamps from.
 */
@Tag("torch")
class RecordOwnershipTest {
    @TempDir
    Path dir;

    @Test
    void registerWithABaselineStampsTheMigrationsUpToItAndApplyRunsTheRest() throws IOException {
        Path file = fixture("fresh", dir);

        MigrationReport registered = migrator(OLD).register(file, name(BAR));
        assertEquals(List.of("+ REGISTER " + name(FOO) + " [v0.8.0]", "+ REGISTER " + name(BAR) + " [v0.8.1]"), registered.lines());
        assertEquals(names(FOO, BAR), recordNames(file));
        assertFalse(root(file).containsKey("foo"), "a baseline runs nothing");

        MigrationReport applied = migrator(OLD).apply(file);
        assertEquals(names(BAZ, RENAME), applied.plan().missing().stream().map(op -> op.name().toString()).toList());
        assertEquals(names(OLD), recordNames(file));
    }

    @Test
    void aBaselineNamingNoMigrationIsRefused() throws IOException {
        Path file = fixture("fresh", dir);
        byte[] before = bytes(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> migrator(OLD).register(file, "1700000000_nope"));
        assertTrue(e.getMessage().contains("no migration named 1700000000_nope"), e.getMessage());
        assertArrayEquals(before, bytes(file));
    }

    @Test
    void theFailPolicyRefusesACheckpointWithoutRecordsNamingRegister() throws IOException {
        Path file = fixture("fresh", dir);
        byte[] before = bytes(file);

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
                () -> migrator(OPTIONS.withRecordless(RecordlessPolicy.FAIL), OLD).apply(file));

        assertTrue(e.getMessage().contains("it has no migration records"), e.getMessage());
        assertTrue(e.getMessage().contains("mvn checkpoint:register") && e.getMessage().contains("Python callback"), e.getMessage());
        assertArrayEquals(before, bytes(file));
    }

    @Test
    void theReferencePolicyUnderAFinalMigrationSaysTooOldAndHowToRegister() throws IOException {
        Path file = fixture("fresh", dir);

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class, () -> migrator(ALL).apply(file));

        assertTrue(e.getMessage().contains("too old. Use a version of anemoi-models < 0.9.0."), e.getMessage());
        assertTrue(e.getMessage().contains("already has " + name(FINAL) + ", it is not too old, only unregistered"), e.getMessage());
        assertTrue(e.getMessage().contains("mvn checkpoint:register"), e.getMessage());
    }

    @Test
    void aBaselinePolicyStampsThenRunsTheRestInOneRewrite() throws IOException {
        Path file = fixture("fresh", dir);

        MigrationReport report = migrator(OPTIONS.withRecordless(RecordlessPolicy.parse("baseline:" + name(BAR))), OLD).apply(file);

        assertEquals(List.of(
                "+ REGISTER " + name(FOO) + " [v0.8.0] (baseline " + name(BAR) + ")",
                "+ REGISTER " + name(BAR) + " [v0.8.1] (baseline " + name(BAR) + ")",
                "+ MIGRATE " + name(BAZ) + " [v0.8.1]",
                "+ MIGRATE " + name(RENAME) + " [v" + Scenarios.NEXT + "]"), report.lines());
        assertEquals(names(OLD), recordNames(file));
        check(dir, """
                ck = load(sys.argv[1])
                assert "foo" not in ck and "bar" not in ck, "the baseline ran nothing"
                assert [r["name"] for r in ck["migrations"]] == NAMES, ck["migrations"]
                """.replace("NAMES", MigrationOracle.py(names(OLD))), file);
    }

    @Test
    void aCheckpointOfAnotherApplicationIsRefusedNeverRolledBack() throws IOException {
        Path file = fixture("fresh", dir);
        migrator(OPTIONS.withAppKey("other-app").withBackup(false), OLD).apply(file);
        byte[] before = bytes(file);

        // Same names, but this code base lacks BAZ and RENAME: without the check they would be rolled back as extras.
        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class, () -> migrator(FOO, BAR).apply(file));

        assertTrue(e.getMessage().contains("belong to the application other-app, not to anemoi-models (appKey)"), e.getMessage());
        assertFalse(migrator(FOO, BAR).plan(file).compatible());
        assertArrayEquals(before, bytes(file));
        assertThrows(IncompatibleCheckpointException.class, () -> migrator(OLD).rollbackLast(file, 1));
        assertArrayEquals(before, bytes(file));
    }

    @Test
    void withoutRollingBackExtrasAnExtraMigrationRefusesTheCheckpoint() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR, BAZ, RENAME);
        byte[] before = bytes(file);

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
                () -> migrator(OPTIONS.withRollbackExtras(false), List.of(FOO, BAR)).apply(file));

        assertTrue(e.getMessage().contains(name(RENAME) + " is applied in the checkpoint but unknown to this code"), e.getMessage());
        assertTrue(e.getMessage().contains("rollbackExtras is false"), e.getMessage());
        assertArrayEquals(before, bytes(file));
    }

    @Test
    void forgetDropsAnExtraRecordAndNotesItInTheHistory() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR, BAZ, RENAME);

        MigrationReport report = migrator(FOO, BAR, BAZ).forget(file, name(RENAME), false);

        assertEquals(List.of("- FORGET " + name(RENAME) + " (its changes stay in the checkpoint; the history notes it)"), report.lines());
        assertEquals(names(FOO, BAR, BAZ), recordNames(file));
        check(dir, """
                ck = load(sys.argv[1])
                last = ck["hyper_parameters"]["metadata"]["migrations"]["history"][-1]
                assert last["type"] == "forget" and last["name"] == NAME, last
                """.replace("NAME", MigrationOracle.py(name(RENAME))), file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> migrator(FOO, BAR, BAZ).forget(file, name(RENAME), true));
        assertTrue(e.getMessage().contains("it has no record of a migration " + name(RENAME)), e.getMessage());
    }

    @Test
    void forgettingAMigrationTheCodeHasNeedsForce() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR, BAZ, RENAME);
        byte[] before = bytes(file);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> migrator(OLD).forget(file, name(BAZ), false));

        assertTrue(e.getMessage().contains(name(BAZ) + " is not an extra migration of this checkpoint"), e.getMessage());
        assertArrayEquals(before, bytes(file));
        migrator(OLD).forget(file, name(BAZ), true);
        assertEquals(names(FOO, BAR, RENAME), recordNames(file));
    }

    @Test
    void anEmptyRecordListFallsUnderThePolicyForCheckpointsWithoutRecords() throws IOException {
        Path file = fixture("fresh", dir);
        try (dev.ckpt.torch.TorchCheckpoint checkpoint = dev.ckpt.torch.TorchCheckpoint.open(file)) {
            checkpoint.rootDict().put("migrations", new java.util.ArrayList<>());  // as another tool may leave it
            checkpoint.write(file);
        }
        assertEquals(List.of(), recordNames(file));

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
                () -> migrator(OPTIONS.withRecordless(RecordlessPolicy.FAIL), OLD).apply(file));
        assertTrue(e.getMessage().contains("it has no migration records"), e.getMessage());
    }

    @Test
    void anExtraRecordedByAnotherApplicationIsNeverRolledBack() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR, BAZ);
        try (dev.ckpt.torch.TorchCheckpoint checkpoint = dev.ckpt.torch.TorchCheckpoint.open(file)) {
            // BAZ's record names only other-app: two applications' records in one file
            Map<?, ?> baz = (Map<?, ?>) ((List<?>) checkpoint.rootDict().get("migrations")).get(2);
            @SuppressWarnings("unchecked")
            Map<Object, Object> versions = (Map<Object, Object>) ((Map<?, ?>) baz.get("metadata")).get("versions");
            versions.put("other-app", versions.remove("anemoi-models"));
            checkpoint.write(file);
        }
        byte[] before = bytes(file);

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class, () -> migrator(FOO, BAR).apply(file));

        assertTrue(e.getMessage().contains(name(BAZ) + " was recorded by other-app, not by anemoi-models (appKey)"), e.getMessage());
        assertArrayEquals(before, bytes(file));
    }

    @Test
    void aSymlinkedBackupDirectoryIsRefusedAndTheCheckpointKept() throws IOException {
        Path file = fixture("fresh", dir);
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve(MigratorOptions.DEFAULT_BACKUP_DIRECTORY), elsewhere);
        byte[] before = bytes(file);

        IOException e = assertThrows(IOException.class, () -> migrator(OLD).apply(file));

        assertTrue(e.getMessage().contains("is a symbolic link; refused"), e.getMessage());
        assertArrayEquals(before, bytes(file));
        try (var names = Files.list(elsewhere)) {
            assertEquals(0, names.count());
        }
    }

    @Test
    void theManifestCarriesExactlyTheRecordsRegisterWrites() throws IOException {
        Path file = fixture("fresh", dir);
        migrator(OLD).register(file);
        ObjectMapper json = new ObjectMapper();

        Map<?, ?> manifest = json.readValue(MigrationManifest.json(MigrationSet.of(OLD), OPTIONS), Map.class);

        assertEquals(1, manifest.get("format"));
        assertEquals("anemoi-models", manifest.get("appKey"));
        assertEquals(json.readTree(json.writeValueAsString(root(file).get("migrations"))), json.valueToTree(manifest.get("records")));
        assertEquals(names(OLD), ((List<?>) manifest.get("migrations")).stream().map(m -> ((Map<?, ?>) m).get("name")).toList());
    }
}
