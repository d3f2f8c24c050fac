package dev.ckpt.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.testing.LightningSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * show on files real torch saved: its JSON names the tensors (in walk order, with dtype, shape and
 * bytes) and holds the configs exactly as Python computes them from the same file after
 * torch.load, and its YAML reads back with yaml.safe_load to OmegaConf.to_container(resolve=False).
 */
@Tag("torch")
class ShowTorchTest {
    private static final Path ORACLE = Path.of("src/test/python/show/show_oracle.py").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aLightningCheckpoint() throws IOException {
        Path file = dir.resolve("last.ckpt");
        if (PythonOracle.torch2()) {
            make("lightning", file);  // Lightning 2.6.6's Trainer.fit, then save_checkpoint
        } else {
            LightningSample.write(file);  // torch 1.13 has no Lightning: the sample shaped as Lightning writes it
        }
        CheckpointContents contents = agreesWithPython(file);
        assertTrue(contents.tensors().stream().anyMatch(t -> t.path().text().startsWith("optimizer_states[0].state.0.exp_avg")), contents.text());
        assertTrue(contents.totals().stream().anyMatch(m -> m.in().equals("state_dict") && m.module().startsWith("model.")), contents.text());
        assertFalse(contents.configs().isEmpty(), contents.text());
        assertTrue(contents.values().stream().anyMatch(v -> v.path().text().equals("pytorch-lightning_version")), contents.text());
    }

    @Test
    void aPlainStateDict() throws IOException {
        Path file = make("state_dict", dir.resolve("model.pt"));
        CheckpointContents contents = agreesWithPython(file);
        assertEquals("[\"encoder.0.weight\"]", contents.tensors().get(1).path().text());
        assertEquals(List.of("encoder.0", "encoder.2", "head"),
                contents.totals().stream().filter(m -> m.in().equals("(root)")).map(CheckpointContents.ModuleTotal::module).toList());
    }

    @Test
    void aLegacyFileWithAConfigAndANumpyArray() throws IOException {
        Path file = make("legacy", dir.resolve("legacy.pt"));
        CheckpointContents contents = agreesWithPython(file);
        assertEquals("legacy file (pre-1.6)", contents.format());
        assertEquals(List.of(new CheckpointContents.ArrayEntry(ReadablePath.root().key("stats"), "<f8", List.of(2L, 2L))).toString(),
                contents.arrays().toString());
    }

    @Test
    void aWholePickledModule() throws IOException {
        Path file = make("module", dir.resolve("net.pt"));
        CheckpointContents contents = agreesWithPython(file);
        assertTrue(contents.globals().stream().anyMatch(g -> g.name().equals("show_models.Net") && g.safety().name().equals("USER")),
                contents.text());
        assertTrue(contents.totals().stream().anyMatch(m -> m.in().equals("_modules.encoder") && m.tensors() == 4), contents.text());
    }

    @Test
    void theFilterSelectsByTheUnquotedPath() throws IOException {
        Path file = LightningSample.write(dir.resolve("sample.ckpt"));
        CheckpointContents contents = CheckpointContents.read(file, new ShowOptions(3, PathGlob.of("state_dict.*encoder*")));
        assertEquals(List.of("state_dict[\"model.encoder.weight\"]", "state_dict[\"model.encoder.bias\"]", "state_dict._metadata[\"model.encoder\"]"),
                java.util.stream.Stream.concat(contents.tensors().stream().map(t -> t.path().text()),
                        contents.values().stream().map(v -> v.path().text())).toList());
    }

    /** The JSON's tensors and configs equal Python's; each config's YAML is what safe_load reads as its container. */
    private CheckpointContents agreesWithPython(Path file) throws IOException {
        CheckpointContents contents = CheckpointContents.read(file, ShowOptions.defaults());
        JsonNode python = JSON.readTree(PythonOracle.run(ORACLE, List.of("describe", file.toString()), ""));
        JsonNode shown = JSON.readTree(contents.json());
        ArrayNode tensors = JSON.createArrayNode();
        for (JsonNode tensor : shown.get("tensors")) {
            ObjectNode row = tensors.addObject();
            List.of("name", "dtype", "shape", "bytes").forEach(field -> row.set(field, tensor.get(field)));
        }
        assertEquals(python.get("tensors"), tensors, contents.text());
        ObjectNode configs = JSON.createObjectNode();
        shown.get("configs").forEach(config -> configs.set(config.get("name").asText(), config.get("value")));
        assertEquals(python.get("configs"), configs, contents.text());
        for (CheckpointContents.ConfigEntry config : contents.configs()) {
            String yaml = YamlText.of(config.plain(), 0);
            JsonNode read = JSON.readTree(PythonOracle.run(ORACLE, List.of("yaml"), yaml));
            assertEquals(python.get("configs").get(config.path().text()), read, yaml);
        }
        assertEquals(contents.tensors().stream().mapToLong(CheckpointContents.TensorEntry::bytes).sum(), shown.get("totalBytes").asLong());
        return contents;
    }

    private static Path make(String kind, Path file) {
        PythonOracle.run(ORACLE, List.of("make", kind, file.toString()), "");
        assertTrue(Files.isRegularFile(file), file.toString());
        return file;
    }
}
