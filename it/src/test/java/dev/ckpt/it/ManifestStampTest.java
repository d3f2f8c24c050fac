package dev.ckpt.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.MigrationManifest;
import dev.ckpt.engine.MigrationPlan;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.it.stamped.M1700000300_rename_head;
import dev.ckpt.it.stamped.M1700000400_add_note;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training side stamps exactly what {@code register} writes: one torch.save checkpoint,
 * registered by the engine in one copy and stamped by the Python package ({@code stamp} with the
 * manifest {@link MigrationManifest} wrote, then torch.save) in the other, gives equal records,
 * and the stamped copy is up to date with no changed signature.
 */
class ManifestStampTest {
    private static final String SAVE = """
            import sys, torch
            torch.manual_seed(1)
            torch.save({"state_dict": {"head.weight": torch.randn(2, 3)}, "hyper_parameters": {"lr": 0.1}}, sys.argv[1])
            """;
    private static final String STAMP = """
            import sys, torch
            sys.path.insert(0, sys.argv[1])
            from ckpt_migrations import Manifest, stamp
            ckpt = torch.load(sys.argv[3])
            torch.save(stamp(ckpt, Manifest.load(sys.argv[2])), sys.argv[3])
            """;

    @TempDir
    Path dir;

    @Test
    void theCallbacksRecordsAreTheRecordsRegisterWrites() throws IOException {
        MigrationSet migrations = MigrationSet.of(List.of(M1700000300_rename_head.class, M1700000400_add_note.class));
        MigratorOptions options = MigratorOptions.defaults("1.2.0").withAppKey("demo-model").withBackup(false);
        Path registered = dir.resolve("registered.ckpt");
        PythonOracle.run(script("save.py", SAVE), List.of(registered.toString()), "");
        Path stamped = Files.copy(registered, dir.resolve("stamped.ckpt"));
        Path manifest = Files.writeString(dir.resolve("migrations.json"), MigrationManifest.json(migrations, options));

        new Migrator(migrations, options).register(registered);
        PythonOracle.run(script("stamp.py", STAMP), List.of(pythonPackage().toString(), manifest.toString(), stamped.toString()), "");

        Object expected = records(registered);
        assertEquals(2, ((List<?>) expected).size());
        assertTrue(((Map<?, ?>) ((List<?>) expected).get(0)).get("rollback") instanceof Map, "the embedded rollback is compared too");
        assertEquals(expected, records(stamped));
        MigrationPlan plan = new Migrator(migrations, options).plan(stamped);
        assertTrue(plan.isUpToDate(), plan.toString());
        assertEquals(List.of(), plan.changedSignatures());
    }

    private static Object records(Path file) throws IOException {
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            return checkpoint.rootDict().get("migrations");
        }
    }

    private Path script(String name, String body) throws IOException {
        return Files.writeString(dir.resolve(name), body);
    }

    /** The repository's python/ directory, from it/ (Maven) or the repository root (IDE). */
    private static Path pythonPackage() {
        return List.of(Path.of("../python"), Path.of("python")).stream()
                .filter(p -> Files.isDirectory(p.resolve("ckpt_migrations")))
                .findFirst().map(Path::toAbsolutePath)
                .orElseThrow(() -> new IllegalStateException("python/ckpt_migrations not found from " + Path.of("").toAbsolutePath()));
    }
}
