package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.check;
import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.MigrationOracle.listing;
import static dev.ckpt.engine.MigrationOracle.py;
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

import dev.ckpt.api.Node;
import dev.ckpt.engine.scenarios.more.M1760000001_keep_forever;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Explicit rollbacks (to a name, by count) and what refuses them before anything runs. */
@Tag("torch")
class MigrationRollbackTest {
    private static final Class<?> KEEP = M1760000001_keep_forever.class;

    @TempDir
    Path dir;

    @Test
    void rollsBackEveryMigrationAfterTheNamedOneNewestFirst() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, OLD.toArray(Class<?>[]::new));

        MigrationReport report = migrator(OLD).rollbackTo(file, name(BAR));

        assertEquals(List.of(line(ROLLBACK, RENAME, Scenarios.NEXT), line(ROLLBACK, BAZ, "0.8.1")), report.lines());
        assertEquals(dir.resolve(".ckpt-backups/model-v" + Scenarios.NEXT + "-4.ckpt.bak"), report.backup());
        check(dir, """
                ck = load(sys.argv[1])
                records(ck)
                assert names(ck) == %s, names(ck)
                assert "test" not in ck and "baz" not in ck and (ck["foo"], ck["bar"]) == ("foo", "bar"), ck
                assert history(ck)[-2:] == [("rollback", %s), ("rollback", %s)], history(ck)
                assert len(history(ck)) == 6
                """.formatted(py(names(FOO, BAR)), py(name(RENAME)), py(name(BAZ))), file);
    }

    @Test
    void rollsBackTheNewestMigrationsByCount() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, OLD.toArray(Class<?>[]::new));

        migrator(OLD).rollbackLast(file, 1);
        assertEquals(names(FOO, BAR, BAZ), recordNames(file));
        Map<Object, Object> root = Scenarios.root(file);
        assertEquals("baz", root.get("baz"));
        assertFalse(root.containsKey("test"));

        migrator(OLD).rollbackLast(file, 3);
        root = Scenarios.root(file);
        assertEquals(List.of(), root.get("migrations"), "every record is gone, the list stays");
        assertFalse(root.containsKey("foo") || root.containsKey("bar") || root.containsKey("baz"), root.keySet().toString());
        assertEquals(8, ((List<?>) Node.of(root).path("hyper_parameters.metadata.migrations.history").value()).size());

        MigrationReport again = migrator(OLD).apply(file);
        assertEquals(4, again.lines().size(), "a checkpoint with an empty record list starts from the first migration");
        assertEquals(names(OLD), recordNames(file));

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class,
                () -> migrator(OLD).rollbackLast(file, 5));
        assertTrue(e.getMessage().contains("cannot roll back 5 migrations: the checkpoint has 4"), e.getMessage());
    }

    @Test
    void refusesToRollBackPastTheFinalMigration() throws IOException {
        Path file = fixture("recent", dir);
        prepare(file, ALL.toArray(Class<?>[]::new));
        assertEquals(names(FINAL, RECENT), recordNames(file));
        byte[] before = bytes(file);

        IncompatibleCheckpointException byCount = assertThrows(IncompatibleCheckpointException.class,
                () -> migrator(ALL).rollbackLast(file, 2));
        IncompatibleCheckpointException byName = assertThrows(IncompatibleCheckpointException.class,
                () -> migrator(ALL).rollbackTo(file, name(RENAME)));

        assertTrue(byCount.getMessage().contains("cannot roll back past the final migration " + name(FINAL)), byCount.getMessage());
        assertTrue(byName.getMessage().contains("has no migration " + name(RENAME)), byName.getMessage());
        assertArrayEquals(before, bytes(file), "nothing ran, not even the rollback of recent");
        assertEquals(List.of("model.ckpt"), listing(dir));

        migrator(ALL).rollbackTo(file, name(FINAL));
        assertEquals(names(FINAL), recordNames(file));
        assertFalse(Scenarios.root(file).containsKey("after"));
    }

    @Test
    void aMigrationWithoutRollbackBlocksThePlanBeforeAnythingRuns() throws IOException {
        Path file = fixture("fresh", dir);
        prepare(file, FOO, BAR, KEEP);
        byte[] before = bytes(file);

        MigrationPlan sync = migrator(FOO, BAR).plan(file);
        assertFalse(sync.canRun());
        assertEquals(List.of(name(KEEP) + " cannot be rolled back: it has no rollback (if what it changed no longer matters, drop its record,"
                + " noted in the history: mvn checkpoint:forget -Dcheckpoint=<file> -Dmigration=" + name(KEEP) + ")"), sync.blockers());
        IncompatibleCheckpointException shorter = assertThrows(IncompatibleCheckpointException.class, () -> migrator(FOO, BAR).apply(file));
        IncompatibleCheckpointException explicit = assertThrows(IncompatibleCheckpointException.class,
                () -> migrator(FOO, BAR, KEEP).rollbackLast(file, 3));

        for (IncompatibleCheckpointException e : List.of(shorter, explicit)) {
            assertTrue(e.getMessage().contains(name(KEEP) + " cannot be rolled back: it has no rollback"), e.getMessage());
        }
        assertArrayEquals(before, bytes(file), "the rollbacks before the blocked one did not run either");
        assertEquals(List.of("model.ckpt"), listing(dir));
    }
}
