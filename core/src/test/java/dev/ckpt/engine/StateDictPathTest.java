package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.check;
import static dev.ckpt.engine.MigrationOracle.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.StateDict;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stateDict(path)}: the state dict of a {@code {"model": sd, "optimizer": ...}} layout and of a
 * plain {@code torch.save(model.state_dict())} file, renamed with its {@code _metadata} in step, so
 * that the renamed model's {@code load_state_dict(strict=True)} takes it under the real torch.
 */
@Tag("torch")
class StateDictPathTest {
    private static final String NET = """
            import sys, torch

            class Net(torch.nn.Module):
                def __init__(self, name):
                    super().__init__()
                    setattr(self, name, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4)))
                    self.head = torch.nn.Linear(4, 2)
            """;

    @TempDir
    Path dir;

    @Test
    void aStateDictUnderAnyKeyIsRenamedWithItsMetadata() throws IOException {
        Path file = dir.resolve("layout.pt");
        PythonOracle.run(write(dir, "make_layout.py", NET + """
                torch.manual_seed(3)
                net = Net("encoder")
                optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
                torch.save({"model": net.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 2}, sys.argv[1])
                """), List.of(file.toString()), "");

        rename(file, checkpoint -> checkpoint.stateDict("model"));

        check(dir, NET + """
                ck = load(sys.argv[1])
                assert list(ck["model"]._metadata) == ["", "backbone", "backbone.0", "backbone.1", "head"], list(ck["model"]._metadata)
                Net("backbone").load_state_dict(ck["model"], strict=True)
                assert ck["epoch"] == 2 and "param_groups" in ck["optimizer"]
                """, file);
    }

    @Test
    void thePlainStateDictFileIsTheRoot() throws IOException {
        Path file = dir.resolve("plain.pt");
        PythonOracle.run(write(dir, "make_plain.py", NET + """
                torch.save(Net("encoder").state_dict(), sys.argv[1])
                """), List.of(file.toString()), "");

        rename(file, checkpoint -> checkpoint.stateDict(""));

        check(dir, NET + """
                sd = torch.load(sys.argv[1], weights_only=True)
                Net("backbone").load_state_dict(sd, strict=True)
                """, file);
    }

    @Test
    void aPathToSomethingElseSaysWhatItFound() throws IOException {
        Path file = dir.resolve("layout.pt");
        PythonOracle.run(write(dir, "make_epoch.py", "import sys, torch\ntorch.save({'epoch': 2}, sys.argv[1])\n"),
                List.of(file.toString()), "");
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            Checkpoint checkpoint = Checkpoint.of(archive);
            IllegalStateException notADict = assertThrows(IllegalStateException.class, () -> checkpoint.stateDict("epoch"));
            assertTrue(notADict.getMessage().contains("it needs a dict at 'epoch'"), notADict.getMessage());
            IllegalStateException missing = assertThrows(IllegalStateException.class, () -> checkpoint.stateDict("model"));
            assertTrue(missing.getMessage().contains("nothing at 'model'"), missing.getMessage());
        }
    }

    private static void rename(Path file, java.util.function.Function<Checkpoint, StateDict> stateDict) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            StateDict sd = stateDict.apply(Checkpoint.of(archive));
            assertEquals(7, sd.renamePrefix("encoder.", "backbone."), "the linear layer's weight and bias, the batch norm's five");
            archive.write(file);
        }
    }
}
