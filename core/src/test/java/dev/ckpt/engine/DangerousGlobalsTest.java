package dev.ckpt.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.scenarios.hostile.M1700000300_move_hook_to_system;
import dev.ckpt.engine.scenarios.hostile.M1700000301_store_os_system;
import dev.ckpt.engine.scenarios.hostile.M1700000302_noop;
import dev.ckpt.engine.scenarios.hostile.M1800000000_newer_noop;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ckpt never makes a file more dangerous than it was (GlobalSafety): a relocation, from a setup
 * or from a record's setup_context, may not produce a global that runs code; a migration may not
 * add one; one already in the input is reported by inspect and refused by apply unless trusted.
 * Refused files keep their bytes.
 */
@org.junit.jupiter.api.Tag("torch")
class DangerousGlobalsTest {
    @TempDir
    Path dir;

    @Test
    void aPayloadInTheInputIsReportedByInspectAndRefusedByApply() throws IOException {
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("state", "ok");
        root.put("payload", new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("posix", "system"), PyTuple.of("touch pwned")));
        Path file = create(root);
        byte[] before = Files.readAllBytes(file);

        CheckpointInspection inspection = CheckpointInspection.of(file);
        assertEquals(1, inspection.dangerousGlobals().size(), inspection.dangerousGlobals().toString());
        assertTrue(inspection.dangerousGlobals().get(0).startsWith("posix.system (runs commands"), inspection.dangerousGlobals().toString());
        assertTrue(inspection.table().contains("WARNING: it names globals that run code"), inspection.table());

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class, () -> migrator(false).apply(file));
        assertTrue(e.getMessage().contains("posix.system") && e.getMessage().contains("allowDangerousGlobals"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));

        assertTrue(migrator(true).apply(file).written(), "the user may say they trust it");
    }

    @Test
    void aSetupMayNotTurnAUserFunctionIntoOneThatRunsCommands() throws IOException {
        Path file = create(withHook());
        byte[] before = Files.readAllBytes(file);
        Migrator migrator = new Migrator(MigrationSet.of(List.of(M1700000300_move_hook_to_system.class)), MigratorOptions.defaults("1.0.0"));

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class, () -> migrator.apply(file));

        assertTrue(e.getMessage().contains("posix.system") && e.getMessage().contains("setups"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void aRecordsSetupContextMayNotEitherWhenAnOlderCodeBaseRollsItBack() throws IOException {
        Path marker = dir.resolve("pwned");
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("epoch", 3L);
        // inert as it stands (a path object), a command once its class is renamed to posix.system
        root.put("hook", new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("pathlib", "PurePosixPath"), PyTuple.of("touch " + marker)));
        Map<Object, Object> setup = new LinkedHashMap<>();
        // {end: start}: the newer code "moved" posix.system to pathlib.PurePosixPath; undoing it renames the path class
        setup.put("attribute_paths", new LinkedHashMap<>(Map.of("pathlib.PurePosixPath", "posix.system")));
        setup.put("module_paths", new LinkedHashMap<>());
        setup.put("deleted_attributes", new ArrayList<>());
        setup.put("deleted_modules", new ArrayList<>());
        // the older code base knows the first record; the second, a newer one's, it rolls back by its embedded code
        Map<Object, Object> known = TestRecords.record("1700000302_noop", MigrationSignature.of(M1700000302_noop.class), null, null);
        Map<Object, Object> newer = TestRecords.record("1800000000_newer_noop", MigrationSignature.of(M1800000000_newer_noop.class),
                EmbeddedRollback.capture(M1800000000_newer_noop.class), setup);
        root.put("migrations", new ArrayList<>(List.of(known, newer)));
        Path file = create(root);
        byte[] before = Files.readAllBytes(file);
        Migrator older = new Migrator(MigrationSet.of(List.of(M1700000302_noop.class)), MigratorOptions.defaults("1.0.0"));

        IncompatibleCheckpointException e = assertThrows(IncompatibleCheckpointException.class, () -> older.apply(file));

        assertTrue(e.getMessage().contains("posix.system") && e.getMessage().contains("setup_context"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        // the oracle: torch.load of what is on disk runs nothing
        Path script = Files.writeString(dir.resolve("load.py"), "import sys, torch\ntorch.load(sys.argv[1], weights_only=False)\nprint('loaded')\n");
        assertEquals("loaded", dev.ckpt.pickle.PythonOracle.run(script, List.of(file.toString()), "").strip());
        assertTrue(Files.notExists(marker), "nothing ran");
    }

    @Test
    void aMigrationMayNotAddAGlobalThatRunsCode() throws IOException {
        Path file = create(withHook());
        byte[] before = Files.readAllBytes(file);
        Migrator migrator = new Migrator(MigrationSet.of(List.of(M1700000301_store_os_system.class)), MigratorOptions.defaults("1.0.0"));

        MigrationFailedException e = assertThrows(MigrationFailedException.class, () -> migrator.apply(file));

        assertTrue(e.getMessage().contains("1700000301_store_os_system") && e.getMessage().contains("os.system"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    private Migrator migrator(boolean allowDangerous) {
        return new Migrator(MigrationSet.of(List.of(M1700000302_noop.class)),
                MigratorOptions.defaults("1.0.0").withBackup(false).withAllowDangerousGlobals(allowDangerous));
    }

    /** A checkpoint referring to the user's own hook function: ordinary data to ckpt. */
    private static Map<Object, Object> withHook() {
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("epoch", 3L);
        root.put("hook", PyGlobal.of("mymodel.hooks", "on_load"));
        return root;
    }

    private Path create(Map<Object, Object> root) throws IOException {
        Path file = dir.resolve("model.ckpt");
        TorchCheckpoint.create(file, root);
        return file;
    }
}
