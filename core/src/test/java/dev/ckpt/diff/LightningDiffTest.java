package dev.ckpt.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Migration;
import dev.ckpt.api.Reversible;
import dev.ckpt.engine.MigrationName;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.engine.SourceCompiler;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.template.MigrationSkeleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two checkpoints written by a real Lightning 2.6.6 {@code Trainer.fit} (one epoch, Adam, its
 * ModelCheckpoint): the new model renames its submodule {@code encoder} to {@code backbone} and its
 * hyperparameter {@code hidden} to {@code width}, and adds {@code dropout}. Lightning saves
 * {@code save_hyperparameters()} as a plain dict ({@code dict(model.hparams)}, not the
 * AttributeDict), next to {@code optimizer_states} (Adam's state keyed by position), {@code loops}
 * and {@code callbacks}. The diff finds the three changes and nothing structural elsewhere; the
 * migration it writes leaves only values differing from the new file, Lightning loads the result
 * into the new model ({@code load_from_checkpoint}, strict) and resumes training from it, and the
 * rollback gives the old file back.
 *
 * <p>Not tagged {@code torch}: Debian's torch 1.13 has no Lightning, so the script always runs
 * under the torch 2.13 venv ({@link PythonOracle#lightningPython()}), once per build, and the test
 * fails when that interpreter or its Lightning is missing.
 */
class LightningDiffTest {
    private static final String PACKAGE = "com.example.migrations";
    private static final String FIT = """
            import os, sys
            import lightning.pytorch as pl
            import torch

            out, side = sys.argv[1], sys.argv[2]

            class Regression(pl.LightningModule):
                def training_step(self, batch, batch_index):
                    x, y = batch
                    return torch.nn.functional.mse_loss(self(x), y)

                def configure_optimizers(self):
                    return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)

            class OldModel(Regression):
                def __init__(self, hidden=5, lr=0.01, name="demo"):
                    super().__init__()
                    self.save_hyperparameters()
                    self.encoder = torch.nn.Sequential(torch.nn.Linear(3, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, hidden))
                    self.head = torch.nn.Linear(hidden, 1)

                def forward(self, x):
                    return self.head(self.encoder(x))

            class NewModel(Regression):
                def __init__(self, width=5, lr=0.01, name="demo", dropout=0.25):
                    super().__init__()
                    self.save_hyperparameters()
                    self.backbone = torch.nn.Sequential(torch.nn.Linear(3, width), torch.nn.ReLU(), torch.nn.Linear(width, width))
                    self.head = torch.nn.Linear(width, 1)

                def forward(self, x):
                    return self.head(self.backbone(x))

            def trainer(epochs, directory):
                return pl.Trainer(accelerator="cpu", max_epochs=epochs, logger=False, enable_progress_bar=False,
                                  enable_model_summary=False,
                                  callbacks=[pl.callbacks.ModelCheckpoint(dirpath=directory, filename="{epoch}")])

            torch.manual_seed(0)
            data = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(8, 3), torch.randn(8, 1)), batch_size=4)
            if side == "resume":
                # The migrated old checkpoint: into the new model, strictly, then one more epoch from it.
                migrated = sys.argv[3]
                model = NewModel.load_from_checkpoint(migrated, strict=True)
                assert dict(model.hparams) == {"width": 5, "lr": 0.01, "name": "demo", "dropout": 0.25}, model.hparams
                resumed = trainer(2, os.path.join(out, "resumed"))
                resumed.fit(NewModel(), data, ckpt_path=migrated)
                assert resumed.global_step == 4, resumed.global_step
                print("resumed at", resumed.global_step)
            else:
                torch.manual_seed(1 if side == "old" else 2)
                trainer(1, os.path.join(out, side)).fit(OldModel() if side == "old" else NewModel(), data)
            """;

    @TempDir
    static Path dir;
    private static Path script;
    private static CheckpointDiff diff;

    @BeforeAll
    static void fitBothModels() throws Exception {
        script = Files.writeString(dir.resolve("fit.py"), FIT);
        for (String side : List.of("old", "new")) {
            fit(side);
        }
        diff = CheckpointDiff.compare(checkpoint("old"), checkpoint("new"));
    }

    @Test
    void findsTheSubmoduleRenameTheHyperparameterRenameAndTheAddedHyperparameter() {
        Set<String> structural = diff.structural().stream().map(Difference::describe).map(String::strip).collect(Collectors.toSet());

        assertEquals(Set.of(
                "prefix renamed         state_dict: encoder.* -> backbone.* (4 tensors; same shape, name similarity)",
                "key moved              hyper_parameters: hidden -> width (equal value)",
                "key added              hyper_parameters.dropout 0.25"), structural, diff.text());
    }

    @Test
    void optimizerStatesLoopsAndCallbacksDifferInValuesOnly() {
        List<Difference> optimizer = elsewhere("optimizer_states");
        // Adam keys its state by position, which the prefix rename keeps: only the moments differ (both took two steps).
        assertFalse(optimizer.isEmpty(), diff.text());
        assertTrue(optimizer.stream().allMatch(d -> d.kind() == Difference.Kind.TENSOR_VALUES
                && (d.path().endsWith(".exp_avg") || d.path().endsWith(".exp_avg_sq"))), diff.text());
        assertEquals(List.of(), elsewhere("loops"), diff.text());
        // Each fit wrote into its own directory: ModelCheckpoint's paths are all that differs there.
        List<Difference> callbacks = elsewhere("callbacks");
        assertEquals(Set.of("dirpath", "best_model_path"), callbacks.stream()
                .map(d -> d.path().substring(d.path().lastIndexOf('.') + 1)).collect(Collectors.toSet()), diff.text());
        assertTrue(callbacks.stream().allMatch(d -> d.kind() == Difference.Kind.VALUE_CHANGED), diff.text());
    }

    @Test
    void theMigrationItWritesTurnsTheOldCheckpointIntoOneLightningResumesInTheNewModelAndRollsBack() throws Exception {
        Class<? extends Migration> migration = compile();
        assertTrue(Reversible.class.isAssignableFrom(migration));
        Path old = Files.copy(checkpoint("old"), dir.resolve("migrated.ckpt"));

        Migrator migrator = new Migrator(MigrationSet.of(List.of(migration)), MigratorOptions.defaults("2.0.0").withBackup(false));
        migrator.apply(old);
        CheckpointDiff remaining = CheckpointDiff.compare(old, checkpoint("new"));
        assertTrue(remaining.onlyValuesDiffer(), remaining.text());
        assertTrue(PythonOracle.run(PythonOracle.lightningPython(), script, List.of(dir.toString(), "resume", old.toString()), "")
                .contains("resumed at 4"));

        migrator.rollbackLast(old, 1);
        CheckpointDiff back = CheckpointDiff.compare(checkpoint("old"), old);
        assertTrue(back.isEmpty(), back.text());
    }

    /** The differences under the root key {@code key}. */
    private static List<Difference> elsewhere(String key) {
        return diff.differences().stream().filter(d -> d.path().startsWith(key + ".") || d.path().startsWith(key + "[")).toList();
    }

    private static Class<? extends Migration> compile() {
        MigrationName name = MigrationName.parse("1767300000_lightning_refactor");
        String source = MigrationSkeleton.render(PACKAGE, name, new MigrationSkeleton.Options(false, false, false), DiffMigration.body(diff));
        return SourceCompiler.migration(dir.resolve("classes"), PACKAGE + "." + name.className(), source, "-Xlint:all", "-Werror");
    }

    private static void fit(String side) {
        PythonOracle.run(PythonOracle.lightningPython(), script, List.of(dir.toString(), side), "");
    }

    private static Path checkpoint(String side) {
        return dir.resolve(side).resolve("epoch=0.ckpt");
    }
}
