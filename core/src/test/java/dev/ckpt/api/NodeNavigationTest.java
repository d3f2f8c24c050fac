package dev.ckpt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * node(path) on a checkpoint saved by real torch: each path is followed by Python (dict keys,
 * list indices, int keys, object attributes, keys with dots) and by Node, and both must reach
 * the same value.
 */
@Tag("torch")
class NodeNavigationTest {
    private static final String SAVE = """
            import dataclasses, json, sys, types, torch

            @dataclasses.dataclass
            class Schema:
                frequency: str
                variables: list

            net = torch.nn.Linear(2, 3)
            opt = torch.optim.Adam(net.parameters(), lr=0.01)
            net(torch.ones(1, 2)).sum().backward()
            opt.step()
            callback = "ModelCheckpoint{'monitor': 'val_loss', 'mode': 'min', 'every_n_train_steps': 0, 'train_time_interval': None}"
            ckpt = {
                "state_dict": net.state_dict(),
                "optimizer_states": [opt.state_dict()],
                "hyper_parameters": {"data_schema": Schema("6h", ["t2m", "u10"]), "ns": types.SimpleNamespace(depth=4)},
                "callbacks": {callback: {"best_model_path": "/ckpt/epoch=3.ckpt", "best_k_models": {"a.ckpt": 0.5}}},
                "shape": (2, (3, 4)),
            }
            torch.save(ckpt, sys.argv[1])
            answers = {
                "hyper_parameters.data_schema.frequency": ckpt["hyper_parameters"]["data_schema"].frequency,
                "hyper_parameters.data_schema.variables.1": ckpt["hyper_parameters"]["data_schema"].variables[1],
                "hyper_parameters.data_schema.variables[0]": ckpt["hyper_parameters"]["data_schema"].variables[0],
                "hyper_parameters.ns.depth": ckpt["hyper_parameters"]["ns"].depth,
                "optimizer_states.0.state.1.step": float(ckpt["optimizer_states"][0]["state"][1]["step"]),
                "optimizer_states[0].param_groups[0].lr": ckpt["optimizer_states"][0]["param_groups"][0]["lr"],
                "optimizer_states.0.param_groups.0.params.1": ckpt["optimizer_states"][0]["param_groups"][0]["params"][1],
                'callbacks["%s"].best_model_path' % callback: ckpt["callbacks"][callback]["best_model_path"],
                "callbacks['%s'].best_k_models[\\"a.ckpt\\"]" % callback.replace("'", "\\\\'"): ckpt["callbacks"][callback]["best_k_models"]["a.ckpt"],
                "shape.1.0": ckpt["shape"][1][0],
            }
            print(json.dumps({"callback": callback, "answers": answers}))
            """;

    @TempDir
    Path dir;

    @Test
    void pathsReachWhatPythonReaches() throws IOException {
        Path file = dir.resolve("nav.ckpt");
        JsonNode out = new ObjectMapper().readTree(PythonOracle.run(Files.writeString(dir.resolve("save.py"), SAVE),
                List.of(file.toString()), ""));
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            Checkpoint checkpoint = Checkpoint.of(archive);
            var answers = out.get("answers").fields();
            int checked = 0;
            while (answers.hasNext()) {
                var answer = answers.next();
                Node node = checkpoint.node(answer.getKey());
                assertTrue(!node.isMissing(), answer.getKey() + " is missing: " + node);
                Object ours = node.value();
                if (TensorView.isTensor(ours)) {
                    ours = (double) TorchCheckpoint.asFloats(archive.readData(TensorView.of(ours)))[0];
                }
                JsonNode expected = answer.getValue();
                Object theirs = expected.isTextual() ? expected.asText() : expected.isIntegralNumber() ? (Object) expected.asLong()
                        : (Object) expected.asDouble();
                assertEquals(theirs, ours, answer.getKey());
                checked++;
            }
            assertEquals(10, checked);

            String callback = out.get("callback").asText();
            Node viaQuote = checkpoint.node("callbacks." + Node.quote(callback) + ".best_model_path");
            assertEquals("/ckpt/epoch=3.ckpt", viaQuote.asText());
            assertEquals(checkpoint.node("callbacks").get(callback).get("best_model_path").asText(), viaQuote.asText());
            assertEquals(List.of("frequency", "variables"), checkpoint.node("hyper_parameters.data_schema").keys());
            assertEquals("hyper_parameters.data_schema.nope", checkpoint.node("hyper_parameters.data_schema.nope.deeper").where()
                    .replace(".deeper", ""));
            assertTrue(checkpoint.node("optimizer_states.0.state.7").isMissing());
        }
    }

    @Test
    void malformedPathsSayWhere() {
        Node root = Node.of(java.util.Map.of("a", 1L));
        for (String bad : List.of("a.", ".a", "a..b", "a[", "a[x]", "a[\"b", "a[\"b\"", "a]b")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> root.path(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertEquals(1L, root.path("a").asLong());
        assertEquals("a", Node.quote("a"));
        assertEquals("[\"a.b\\\"c\"]", Node.quote("a.b\"c"));
    }

    @Test
    void keysWithControlCharactersAreQuotedEscapedAndReadBack() {
        String hostile = "x\u001b[2J\r\nINFO fake\tline\u0085\u007f";
        String quoted = Node.quote(hostile);
        assertEquals("[\"x\\u001b[2J\\r\\nINFO fake\\tline\\u0085\\u007f\"]", quoted);
        assertTrue(quoted.chars().allMatch(c -> c >= 0x20 && c < 0x7f), quoted);
        Node root = Node.of(java.util.Map.of(hostile, 1L));
        assertEquals(1L, root.path(quoted).asLong());
        assertEquals(1L, root.path("['x\\u001b[2J\\r\\nINFO fake\\tline\\u0085\\u007f']").asLong());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> root.path("[\"a\\u00\"]"));
        assertTrue(e.getMessage().contains("four hex digits"), e.getMessage());
        assertEquals("[\"\\t\"]", dev.ckpt.inspect.ReadablePath.root().key("\t").text());
    }
}
