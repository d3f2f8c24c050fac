package dev.ckpt.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.engine.CheckpointInspection;
import dev.ckpt.engine.MigrationRecord;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.it.roots.M1700000100_reverse_first_tensor;
import dev.ckpt.torch.TorchCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * apply, inspect, rollback and register on every root shape torch.save writes, with the running
 * torch (2.13 or 1.13) as the oracle in each of its loader modes: a plain dict keeps its records
 * in itself (the reference's layout); every other root keeps them in the archive record
 * {@code ckpt_migrations.pkl}, so a migrated {@code torch.save(model.state_dict())} still loads
 * into its model with {@code load_state_dict(strict=True)}.
 */
class RootShapesMigrationTest {
    @TempDir
    Path dir;

    private final Migrator migrator = new Migrator(MigrationSet.of(List.of(M1700000100_reverse_first_tensor.class)),
            MigratorOptions.defaults("1.1.0").withBackup(false));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"state_dict.pt", "tensor_root.pt", "list_root.pt", "tuple_root.pt", "module_root.pt",
            "lightning_like.pt", "views.pt"})
    void applyInspectAndRollbackWorkOnEveryRootAndTorchLoadsEachStep(String name) throws Exception {
        Path original = FidelityCorpus.generated(name);
        Path file = Files.copy(original, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);

        assertTrue(migrator.apply(file).written());
        assertEquals(List.of("1700000100_reverse_first_tensor"), recordNames(file));
        assertModes(original, file);
        if (name.equals("state_dict.pt")) {
            assertTrue(TorchOracle.call("load_state_dict_strict", file.toString()).startsWith("OK"));
        }
        assertTrue(migrator.apply(file).lines().contains("already up to date"));

        migrator.rollbackLast(file, 1);
        assertEquals(List.of(), recordNames(file));
        assertModes(original, file);
        try (TorchCheckpoint before = TorchCheckpoint.open(original); TorchCheckpoint after = TorchCheckpoint.open(file)) {
            assertEquals(TensorManifest.of(before).toJsonLines(), TensorManifest.of(after).toJsonLines(), "the rollback restores every tensor");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"state_dict.pt", "tensor_root.pt", "module_root.pt"})
    void registerStampsEveryRootWithoutChangingWhatTorchLoads(String name) throws Exception {
        Path original = FidelityCorpus.generated(name);
        Path file = Files.copy(original, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);

        migrator.register(file);

        assertEquals(List.of("1700000100_reverse_first_tensor"), recordNames(file));
        assertTrue(migrator.apply(file).lines().contains("already up to date"));
        assertModes(original, file);
    }

    /**
     * Nothing ckpt writes costs weights_only (records, history, embedded rollbacks: the first test);
     * a migration that itself adds a class the weights-only loader refuses is named by apply, and
     * torch confirms the loss.
     */
    @org.junit.jupiter.api.Test
    void applySaysByNameWhenAMigrationMakesAWeightsOnlyFileNeedFullUnpickling() throws Exception {
        Path original = FidelityCorpus.generated("views.pt");
        Path file = Files.copy(original, dir.resolve("views.pt"), StandardCopyOption.REPLACE_EXISTING);
        Migrator storing = new Migrator(MigrationSet.of(List.of(M1700000100_reverse_first_tensor.class,
                dev.ckpt.it.roots.M1700000200_store_namespace.class)), MigratorOptions.defaults("1.2.0").withBackup(false));

        dev.ckpt.engine.MigrationReport report = storing.apply(file);

        List<String> warnings = report.warnings();
        for (String torch : List.of("1.13", "2.13")) {
            assertTrue(warnings.stream().anyMatch(w -> w.contains("torch " + torch + "'s weights-only loader")
                    && w.contains("argparse.Namespace")), warnings.toString());
        }
        assertTrue(TorchOracle.call("loads_in", original.toString()).contains("weights_only"));
        assertTrue(!TorchOracle.call("loads_in", file.toString()).contains("weights_only"), "torch refuses it too");
    }

    private static List<String> recordNames(Path file) throws Exception {
        return CheckpointInspection.of(file).records().stream().map(MigrationRecord::name).toList();
    }

    /** Every loader mode the original loads in loads the file with the tensors Java reads from it. */
    private static void assertModes(Path original, Path file) throws Exception {
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            String modes = TorchOracle.call("check_modes", original.toString(), file.toString(),
                    TorchFidelityTest.manifest(checkpoint, file).toString());
            assertTrue(modes.startsWith("OK default") || modes.startsWith("OK full"), modes);
        }
    }
}
