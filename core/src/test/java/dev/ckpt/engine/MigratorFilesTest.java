package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.check;
import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.MigrationOracle.listing;
import static dev.ckpt.engine.MigrationOracle.py;
import static dev.ckpt.engine.Operation.Type.MIGRATE;
import static dev.ckpt.engine.Scenarios.ALL;
import static dev.ckpt.engine.Scenarios.BAR;
import static dev.ckpt.engine.Scenarios.FINAL;
import static dev.ckpt.engine.Scenarios.FOO;
import static dev.ckpt.engine.Scenarios.OLD;
import static dev.ckpt.engine.Scenarios.OPTIONS;
import static dev.ckpt.engine.Scenarios.RECENT;
import static dev.ckpt.engine.Scenarios.bytes;
import static dev.ckpt.engine.Scenarios.line;
import static dev.ckpt.engine.Scenarios.migrator;
import static dev.ckpt.engine.Scenarios.name;
import static dev.ckpt.engine.Scenarios.names;
import static dev.ckpt.engine.Scenarios.recordNames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.scenarios.more.M1760000000_add_qux;
import dev.ckpt.engine.scenarios.more.M1760000002_explodes;
import dev.ckpt.engine.scenarios.more.M1760000004_missing_class;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a run leaves on disk: dry runs, hard-linked backups, register, and failures. */
@Tag("torch")
class MigratorFilesTest {
    @TempDir
    Path dir;

    @Test
    void dryRunReportsTheOperationsAndWritesNothing() throws IOException {
        Path file = fixture("fresh", dir);
        byte[] before = bytes(file);
        Object inode = inode(file);

        MigrationReport report = migrator(OPTIONS.withDryRun(true), OLD).apply(file);

        assertEquals(4, report.lines().size());
        assertEquals(line(MIGRATE, FOO, "0.8.0"), report.lines().get(0));
        assertFalse(report.written());
        assertNull(report.backup());
        assertArrayEquals(before, bytes(file));
        assertEquals(inode, inode(file));
        assertEquals(List.of("model.ckpt"), listing(dir));
    }

    @Test
    void theOriginalIsKeptAsAHardLinkNamedAfterItsLastMigration() throws IOException {
        Path file = fixture("fresh", dir);
        byte[] original = bytes(file);
        Object originalInode = inode(file);

        MigrationReport first = migrator(OLD).apply(file);

        assertEquals(dir.resolve(".ckpt-backups/model-v0.ckpt.bak"), first.backup(),
                "no record yet: <stem>-v<count>, as the reference names it, in the backup directory, outside *.ckpt");
        assertEquals(originalInode, inode(first.backup()), "the backup is the original file, linked, not copied");
        assertNotEquals(originalInode, inode(file), "the checkpoint is a new file renamed over the old name");
        assertArrayEquals(original, bytes(first.backup()));

        byte[] migrated = bytes(file);
        Object migratedInode = inode(file);
        List<Class<?>> more = new ArrayList<>(OLD);
        more.add(M1760000000_add_qux.class);
        MigrationReport second = migrator(more).apply(file);

        assertEquals(dir.resolve(".ckpt-backups/model-v" + Scenarios.NEXT + "-4.ckpt.bak"), second.backup(),
                "<stem>-v<version of the last record>-<number of records>");
        assertEquals(migratedInode, inode(second.backup()));
        assertArrayEquals(migrated, bytes(second.backup()));
        assertEquals(List.of(".ckpt-backups", "model.ckpt"), listing(dir));
        assertEquals(List.of("model-v0.9.1-4.ckpt.bak", "model-v0.ckpt.bak"), listing(dir.resolve(".ckpt-backups")));
    }

    @Test
    void aTakenBackupNameGetsANumber() throws IOException {
        Path file = fixture("fresh", dir);
        Files.createDirectories(dir.resolve(".ckpt-backups"));
        Files.writeString(dir.resolve(".ckpt-backups/model-v0.ckpt.bak"), "someone else's file");

        MigrationReport report = migrator(FOO).apply(file);

        assertEquals(dir.resolve(".ckpt-backups/model-v0.2.ckpt.bak"), report.backup());
        assertEquals("someone else's file", Files.readString(dir.resolve(".ckpt-backups/model-v0.ckpt.bak")));
    }

    @Test
    void withoutBackupOnlyTheCheckpointRemains() throws IOException {
        Path file = fixture("fresh", dir);

        MigrationReport report = migrator(OPTIONS.withBackup(false), OLD).apply(file);

        assertTrue(report.written());
        assertNull(report.backup());
        assertEquals(List.of("model.ckpt"), listing(dir));
        assertEquals(names(OLD), recordNames(file));
    }

    @Test
    void registerStampsAFreshCheckpointWithTheLastGroupAndRefusesOneWithRecords() throws IOException {
        Path file = fixture("fresh", dir);

        MigrationReport report = migrator(ALL).register(file);

        assertEquals(List.of("+ REGISTER " + name(FINAL) + " [v0.9.0]", "+ REGISTER " + name(RECENT) + " [v" + Scenarios.NEXT + "]"),
                report.lines());
        assertTrue(migrator(ALL).plan(file).isUpToDate());
        check(dir, """
                ck = load(sys.argv[1])
                recs = records(ck)
                assert names(ck) == %s, names(ck)
                assert [r["metadata"]["final"] for r in recs] == [True, False]
                assert [r["metadata"]["versions"]["anemoi-models"] for r in recs] == ["0.9.0", "%s"]
                assert "after" not in ck, "registering runs nothing"
                assert ck["hyper_parameters"] == {"lr": 0.1}, "and writes no history"
                """.formatted(py(names(FINAL, RECENT)), Scenarios.NEXT), file);
        byte[] registered = bytes(file);

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class, () -> migrator(ALL).register(file));

        assertTrue(e.getMessage().contains("already holds 2 migration records"), e.getMessage());
        assertArrayEquals(registered, bytes(file));
    }

    @ParameterizedTest
    @ValueSource(classes = {M1760000002_explodes.class, M1760000004_missing_class.class})
    void aMigrationThatThrowsLeavesTheCheckpointUntouched(Class<?> failingMigration) throws IOException {
        Path file = fixture("fresh", dir);
        byte[] before = bytes(file);

        MigrationFailedException e = assertThrows(MigrationFailedException.class,
                () -> migrator(FOO, BAR, failingMigration).apply(file));

        String failing = name(failingMigration);
        assertEquals(failing, e.migration());
        String cause = failingMigration == M1760000002_explodes.class ? M1760000002_explodes.MESSAGE : "com/example/Gone";
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("migration " + failing + " failed")
                && e.getMessage().contains(cause), e.getMessage());
        assertArrayEquals(before, bytes(file));
        assertEquals(List.of("model.ckpt"), listing(dir), "no backup, no temp file");
        assertTrue(migrator(FOO, BAR).plan(file).registered().isEmpty());
    }

    private static Object inode(Path file) throws IOException {
        return Files.getAttribute(file, "unix:ino");
    }
}
