package dev.ckpt.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.Reversible;
import dev.ckpt.engine.MigrationName;
import dev.ckpt.engine.MigrationSet;
import dev.ckpt.engine.Migrator;
import dev.ckpt.engine.MigratorOptions;
import dev.ckpt.engine.SourceCompiler;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.template.MigrationBody;
import dev.ckpt.template.MigrationSkeleton;
import dev.ckpt.torch.TorchCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refactor saved by real torch before and after (different seeds, so every trained value
 * differs): the encoder renamed backbone, an embedding with fixed values renamed, a buffer
 * deleted, the module oldpkg.layers (an nn.Module class and a config class) moved to
 * newpkg.layers, OmegaConf keys renamed, moved and added. The diff finds each, and the migration
 * it writes compiles, turns the old checkpoint into one that differs from the new only in values,
 * and its rollback gives the old structure back.
 */
@Tag("torch")
class RefactorDiffTorchTest {
    private static final String PACKAGE = "com.example.migrations";
    private static final String SAVE = """
            import os, sys
            import torch
            from omegaconf import OmegaConf

            out, side, delete_buffer = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
            pkg = "oldpkg" if side == "old" else "newpkg"
            os.makedirs(os.path.join(out, "src", pkg), exist_ok=True)
            open(os.path.join(out, "src", pkg, "__init__.py"), "w").close()
            with open(os.path.join(out, "src", pkg, "layers.py"), "w") as f:
                f.write('''import torch
            class Scale(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.factor = torch.nn.Parameter(torch.randn(3))
            class LayerSpec:
                def __init__(self, width):
                    self.width = width
            ''')
            sys.path.insert(0, os.path.join(out, "src"))
            layers = __import__(pkg + ".layers", fromlist=["Scale"])

            torch.manual_seed(1 if side == "old" else 2)
            body = "encoder" if side == "old" else "backbone"
            net = torch.nn.Module()
            setattr(net, body, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 4)))
            table = torch.nn.Embedding(5, 3)
            with torch.no_grad():
                table.weight.copy_(torch.arange(15.0).reshape(5, 3))
            setattr(net, "embed" if side == "old" else "tokens", table)
            net.head = torch.nn.Linear(4, 2)
            if side == "old" or not delete_buffer:
                net.register_buffer("running_sum", torch.randn(4))
            if side == "old":
                hp = {"model": {"encoder_layers": 2, "hidden": 4}, "optim": {"betas": [0.9, 0.99]}, "lr": 0.01, "name": "demo"}
            else:
                hp = {"model": {"backbone_layers": 2, "hidden": 4, "activation": "gelu"}, "optim": {"betas": [0.9, 0.99], "lr": 0.01},
                      "name": "demo"}
            torch.save({"state_dict": net.state_dict(), "hyper_parameters": OmegaConf.create(hp),
                        "extra": layers.Scale(), "spec": layers.LayerSpec(4)}, os.path.join(out, side + ".ckpt"))
            """;

    @TempDir
    Path dir;

    @Test
    void findsEveryChangeOfTheRefactorWithItsEvidence() throws Exception {
        CheckpointDiff diff = pair(true);
        Set<String> structural = diff.structural().stream().map(Difference::describe).map(String::strip).collect(Collectors.toSet());

        assertEquals(Set.of(
                "module moved           oldpkg.layers -> newpkg.layers (2 classes; same class names)",
                "prefix renamed         state_dict: encoder.* -> backbone.* (4 tensors; same shape, name similarity)",
                "tensor renamed         state_dict: embed.weight -> tokens.weight (bytes equal)",
                "tensor removed         state_dict.running_sum float32 [4]",
                "key moved              hyper_parameters: model.encoder_layers -> model.backbone_layers (equal value)",
                "key moved              hyper_parameters: lr -> optim.lr (equal value, same key)",
                "key added              hyper_parameters.model.activation 'gelu'"), structural, diff.text());
        // Trained values differ everywhere they were random: the renamed encoder, the head, the Scale module's parameter.
        assertTrue(diff.differences().stream().anyMatch(d -> d.kind() == Difference.Kind.TENSOR_VALUES
                && d.path().equals("state_dict[\"head.weight\"]")), diff.text());
        assertTrue(diff.differences().stream().anyMatch(d -> d.kind() == Difference.Kind.TENSOR_VALUES
                && d.path().equals("extra._parameters.factor")), diff.text());
        assertTrue(diff.json().contains("\"evidence\" : \"bytes equal\""), diff.json());
    }

    @Test
    void aMigrationWithoutDeletionsIsReversibleAndItsRollbackGivesTheOldCheckpointBack() throws Exception {
        CheckpointDiff diff = pair(false);
        Class<? extends Migration> migration = compile(DiffMigration.body(diff));
        assertTrue(Reversible.class.isAssignableFrom(migration));
        Path old = dir.resolve("old.ckpt");
        Path original = Files.copy(old, dir.resolve("original.ckpt"));

        Migrator migrator = new Migrator(MigrationSet.of(List.of(migration)), MigratorOptions.defaults("2.0.0").withBackup(false));
        migrator.apply(old);
        CheckpointDiff remaining = CheckpointDiff.compare(old, dir.resolve("new.ckpt"));
        assertTrue(remaining.onlyValuesDiffer(), remaining.text());
        assertFalse(remaining.isEmpty(), "the trained values still differ");

        migrator.rollbackLast(old, 1);
        CheckpointDiff back = CheckpointDiff.compare(original, old);
        assertTrue(back.isEmpty(), back.text());
    }

    @Test
    void aDeletionMakesTheMigrationIrreversibleAndItsRollbackRestoresTheLayoutOnly() throws Exception {
        CheckpointDiff diff = pair(true);
        MigrationBody body = DiffMigration.body(diff);
        Class<? extends Migration> migration = compile(body);
        assertFalse(Reversible.class.isAssignableFrom(migration));
        assertTrue(body.notes().stream().anyMatch(n -> n.startsWith("values changed: ")), body.notes().toString());
        Path old = dir.resolve("old.ckpt");
        Path original = Files.copy(old, dir.resolve("original.ckpt"));

        new Migrator(MigrationSet.of(List.of(migration)), MigratorOptions.defaults("2.0.0").withBackup(false)).apply(old);
        CheckpointDiff remaining = CheckpointDiff.compare(old, dir.resolve("new.ckpt"));
        assertTrue(remaining.onlyValuesDiffer(), remaining.text());

        // The rollback method, run by hand: the buffer comes back as zeros, so only its values differ from the original.
        try (TorchCheckpoint archive = TorchCheckpoint.open(old)) {
            migration.getMethod("rollback", Checkpoint.class).invoke(migration.getConstructor().newInstance(), Checkpoint.of(archive));
            archive.write(old);
        }
        CheckpointDiff back = CheckpointDiff.compare(original, old);
        assertEquals(List.of("state_dict.running_sum"), back.differences().stream()
                .filter(d -> d.scope() != Difference.Scope.CLASSES).map(Difference::path).toList(), back.text());
        assertEquals(Difference.Kind.TENSOR_VALUES, back.differences().stream()
                .filter(d -> d.path().equals("state_dict.running_sum")).findFirst().orElseThrow().kind());
    }

    private CheckpointDiff pair(boolean deleteBuffer) throws Exception {
        Path script = Files.writeString(dir.resolve("save.py"), SAVE);
        for (String side : List.of("old", "new")) {
            PythonOracle.run(script, List.of(dir.toString(), side, deleteBuffer ? "1" : "0"), "");
        }
        return CheckpointDiff.compare(dir.resolve("old.ckpt"), dir.resolve("new.ckpt"));
    }

    private Class<? extends Migration> compile(MigrationBody body) {
        MigrationName name = MigrationName.parse("1767300000_refactor");
        String source = MigrationSkeleton.render(PACKAGE, name, new MigrationSkeleton.Options(false, false, false), body);
        return SourceCompiler.migration(dir.resolve("classes"), PACKAGE + "." + name.className(), source, "-Xlint:all", "-Werror");
    }
}
