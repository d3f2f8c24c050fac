package dev.ckpt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parameters against real torch optimizers: what the order inference refuses (buffers it cannot
 * tell, moments of the wrong shape, several optimizers), removal and insertion renumbering the
 * state so that the new model's {@code optimizer.load_state_dict} pairs every parameter with its
 * own moments, and torch 2's {@code param_names} kept in step.
 */
@Tag("torch")
class ParametersTorchTest {
    private static final String MODEL = """
            import sys, torch

            def model(drop_middle=False, extra=False):
                m = torch.nn.Module()
                m.first = torch.nn.Linear(2, 3)
                if not drop_middle:
                    m.middle = torch.nn.Linear(3, 3)
                if extra:
                    m.gate = torch.nn.Linear(3, 1)
                m.last = torch.nn.Linear(3, 1)
                m.register_buffer("scale", torch.ones(3))
                return m

            def stepped(m, named=False):
                opt = torch.optim.Adam(m.named_parameters() if named else m.parameters(), lr=0.01)
                for _ in range(2):
                    opt.zero_grad()
                    sum((p ** 2).sum() for p in m.parameters()).backward()
                    opt.step()
                return opt
            """;

    @TempDir
    Path dir;

    private Path saved(String body) throws IOException {
        Path file = dir.resolve("ck.ckpt");
        Path script = Files.writeString(dir.resolve("make.py"), MODEL + body);
        PythonOracle.run(script, List.of(file.toString()), "");
        return file;
    }

    private void edit(Path file, Consumer<Checkpoint> change) throws IOException {
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            change.accept(Checkpoint.of(archive));
            archive.write(file);
        }
    }

    private void check(Path file, String body) throws IOException {
        Path script = Files.writeString(dir.resolve("check.py"), MODEL + "ck = torch.load(sys.argv[1], weights_only=False)\n" + body
                + "\nprint('OK')\n");
        assertEquals("OK", PythonOracle.run(script, List.of(file.toString()), "").strip());
    }

    @Test
    void aBufferItCannotTellIsRefusedUntilTheParametersAreNamed() throws IOException {
        Path file = saved("""
                torch.manual_seed(1)
                m = model(); opt = stepped(m)
                torch.save({"state_dict": m.state_dict(), "optimizer_states": [opt.state_dict()]}, sys.argv[1])
                """);
        List<String> names = List.of("first.weight", "first.bias", "middle.weight", "middle.bias", "last.weight", "last.bias");
        edit(file, checkpoint -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, checkpoint::parameters);
            assertTrue(e.getMessage().contains("holds 6 parameters but the state dict 7") && e.getMessage().contains("names"),
                    e.getMessage());
            IllegalStateException wrongOrder = assertThrows(IllegalStateException.class, () -> checkpoint.parameters("state_dict",
                    "optimizer_states.0", List.of("middle.weight", "first.bias", "first.weight", "middle.bias", "last.weight", "last.bias")));
            assertTrue(wrongOrder.getMessage().contains("'optimizer_states.0.state.0.exp_avg' has shape [3, 2]")
                    && wrongOrder.getMessage().contains("'middle.weight'"), wrongOrder.getMessage());

            Parameters params = checkpoint.parameters("state_dict", "optimizer_states.0", names);
            params.remove("middle.weight");
            params.remove("middle.bias");
            params.insert("gate.weight", Tensor.zeros(dev.ckpt.torch.DType.FLOAT32, 1, 3), "first.bias");
            params.insert("gate.bias", Tensor.zeros(dev.ckpt.torch.DType.FLOAT32, 1), "gate.weight");
            assertEquals(List.of("first.weight", "first.bias", "gate.weight", "gate.bias", "last.weight", "last.bias"), params.names());
        });
        check(file, """
                torch.manual_seed(1)
                old = model(); old_opt = stepped(old)
                m = model(drop_middle=True, extra=True)
                m.load_state_dict(ck["state_dict"], strict=True)
                opt = torch.optim.Adam(m.parameters(), lr=0.01)
                opt.load_state_dict(ck["optimizer_states"][0])
                for name in ["first.weight", "first.bias", "last.weight", "last.bias"]:
                    mine, theirs = opt.state[dict(m.named_parameters())[name]], old_opt.state[dict(old.named_parameters())[name]]
                    assert torch.equal(mine["exp_avg"], theirs["exp_avg"]) and torch.equal(mine["exp_avg_sq"], theirs["exp_avg_sq"]), name
                assert m.gate.weight not in opt.state and torch.equal(m.gate.weight, torch.zeros(1, 3))
                assert ck["optimizer_states"][0]["param_groups"][0]["params"] == [0, 1, 2, 3, 4, 5]
                assert sorted(ck["optimizer_states"][0]["state"]) == [0, 1, 4, 5]
                opt.zero_grad(); sum((p ** 2).sum() for p in m.parameters()).backward(); opt.step()
                assert m.gate.weight in opt.state
                """);
    }

    @Test
    void severalParamGroupsWithoutSavedNamesMustBeNamed() throws IOException {
        // decay / no-decay groups: the optimizer's order (weights, then biases) is not the state dict's
        Path file = saved("""
                m = model(); del m.scale
                weights = [p for n, p in m.named_parameters() if n.endswith("weight")]
                biases = [p for n, p in m.named_parameters() if n.endswith("bias")]
                opt = torch.optim.Adam([{"params": weights}, {"params": biases, "weight_decay": 0.0}], lr=0.01)
                sum((p ** 2).sum() for p in m.parameters()).backward(); opt.step()
                torch.save({"state_dict": m.state_dict(), "optimizer_states": [opt.state_dict()]}, sys.argv[1])
                """);
        List<String> optimizerOrder = List.of("first.weight", "middle.weight", "last.weight", "first.bias", "middle.bias", "last.bias");
        edit(file, checkpoint -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, checkpoint::parameters);
            assertTrue(e.getMessage().contains("2 param groups and no param_names"), e.getMessage());
            Parameters params = checkpoint.parameters("state_dict", "optimizer_states.0", optimizerOrder);
            params.remove("middle.weight");
            params.remove("middle.bias");
            assertEquals(List.of("first.weight", "last.weight", "first.bias", "last.bias"), params.names());
        });
        check(file, """
                m = model(drop_middle=True); del m.scale
                m.load_state_dict(ck["state_dict"], strict=True)
                groups = ck["optimizer_states"][0]["param_groups"]
                assert [g["params"] for g in groups] == [[0, 1], [2, 3]], groups
                weights = [p for n, p in m.named_parameters() if n.endswith("weight")]
                biases = [p for n, p in m.named_parameters() if n.endswith("bias")]
                opt = torch.optim.Adam([{"params": weights}, {"params": biases, "weight_decay": 0.0}], lr=0.01)
                opt.load_state_dict(ck["optimizer_states"][0])
                assert opt.state[m.last.weight]["exp_avg"].shape == m.last.weight.shape
                assert opt.state[m.first.bias]["exp_avg"].shape == m.first.bias.shape
                """);
    }

    @Test
    void severalOptimizersMustBeNamed() throws IOException {
        Path file = saved("""
                m = model(); a = stepped(m); b = torch.optim.SGD(m.parameters(), lr=0.1)
                torch.save({"state_dict": m.state_dict(), "optimizer_states": [a.state_dict(), b.state_dict()]}, sys.argv[1])
                """);
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Checkpoint.of(archive).parameters());
            assertTrue(e.getMessage().contains("2 optimizers") && e.getMessage().contains("optimizer_states.<i>"), e.getMessage());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Checkpoint.of(archive)
                    .parameters("state_dict", "optimizer_states.1", List.of("first.weight", "first.bias", "middle.weight",
                            "middle.bias", "last.weight", "last.bias")).rename("nope", "x"));
            assertTrue(unknown.getMessage().contains("'nope' is not a parameter"), unknown.getMessage());
        }
    }

    @Test
    void namesTorchSavedAreUsedAndKeptInStep() throws IOException {
        // torch 2 saves param_names for an optimizer built from named_parameters(); torch 1.13 cannot, and
        // there the names come from the state dict, which must give the same result.
        boolean named = PythonOracle.torch2();
        Path file = saved("""
                torch.manual_seed(2)
                m = model(); del m.scale; opt = stepped(m, named=%s)
                torch.save({"model": m.state_dict(), "optimizer": opt.state_dict()}, sys.argv[1])
                """.formatted(named ? "True" : "False"));
        edit(file, checkpoint -> {
            Parameters params = checkpoint.parameters("model", "optimizer");
            params.rename("last.weight", "head.weight");
            params.rename("last.bias", "head.bias");
            params.move("head.weight", 0);
            params.move("head.bias", 1);
            assertEquals(List.of("head.weight", "head.bias", "first.weight", "first.bias", "middle.weight", "middle.bias"), params.names());
        });
        check(file, """
                torch.manual_seed(2)
                old = model(); del old.scale; old_opt = stepped(old)
                m = torch.nn.Module(); m.head = torch.nn.Linear(3, 1); m.first = torch.nn.Linear(2, 3); m.middle = torch.nn.Linear(3, 3)
                m.load_state_dict(ck["model"], strict=True)
                group = ck["optimizer"]["param_groups"][0]
                assert group.get("param_names", [n for n, _ in m.named_parameters()]) == [n for n, _ in m.named_parameters()], group
                opt = torch.optim.Adam(m.named_parameters() if "param_names" in group else m.parameters(), lr=0.01)
                opt.load_state_dict(ck["optimizer"])
                for name, p in m.named_parameters():
                    theirs = old_opt.state[dict(old.named_parameters())[name.replace("head.", "last.")]]
                    assert torch.equal(opt.state[p]["exp_avg_sq"], theirs["exp_avg_sq"]), name
                """);
    }
}
