package dev.ckpt.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Node;
import dev.ckpt.api.OmegaConfView;
import dev.ckpt.api.StateDict;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.torch.DType;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lightning sample read back through ckpt's own reader. That torch, Lightning and OmegaConf
 * load it is checked against the real libraries in the it module ({@code LightningSampleTorchTest}).
 */
class LightningSampleTest {
    @TempDir
    Path dir;

    @Test
    void rootHasTheKeysOfALightningCheckpointInTheirOrder() throws IOException {
        try (TorchCheckpoint sample = open()) {
            assertEquals(List.of("epoch", "global_step", "pytorch-lightning_version", "state_dict", "loops", "callbacks",
                    "optimizer_states", "lr_schedulers", "hparams_name", "hyper_parameters", "hparams_type"),
                    List.copyOf(sample.rootDict().keySet()));
            assertEquals("2.6.6", sample.rootDict().get("pytorch-lightning_version"));
            assertEquals(PyGlobal.of("omegaconf.dictconfig", "DictConfig"), sample.rootDict().get("hparams_type"));
        }
    }

    @Test
    void stateDictHoldsFourFloat32ParametersWithTheDocumentedValues() throws IOException {
        try (TorchCheckpoint sample = open()) {
            StateDict stateDict = Checkpoint.of(sample).stateDict();
            assertEquals(List.of("model.encoder.weight", "model.encoder.bias", "model.head.weight", "model.head.bias"), stateDict.keys());
            TensorView bias = stateDict.view("model.encoder.bias");
            assertEquals(DType.FLOAT32, bias.dtype());
            assertArrayEquals(new long[] {4}, bias.shape());
            assertArrayEquals(new float[] {1f, 1.0625f, 1.125f, 1.1875f}, TorchCheckpoint.asFloats(sample.readData(bias)));
            assertArrayEquals(new long[] {4, 3}, stateDict.view("model.encoder.weight").shape());
            assertArrayEquals(new long[] {2, 4}, stateDict.view("model.head.weight").shape());
            assertArrayEquals(new float[] {3f, 3.0625f}, TorchCheckpoint.asFloats(sample.readData(stateDict.view("model.head.bias"))));
        }
    }

    @Test
    void stateDictCarriesTheModuleMetadataTorchAttaches() throws IOException {
        try (TorchCheckpoint sample = open()) {
            PyObject stateDict = (PyObject) sample.rootDict().get("state_dict");
            PyObject metadata = (PyObject) stateDict.attributes().get("_metadata");
            assertEquals(PyGlobal.of("collections", "OrderedDict"), metadata.pythonClass());
            assertEquals(List.of("", "model", "model.encoder", "model.head"), List.copyOf(metadata.dictItems().keySet()));
            assertEquals(Map.of("version", 1L), metadata.dictItems().get("model.head"));
        }
    }

    @Test
    void renamingAPrefixRenamesTheMetadataAndSurvivesAWrite() throws IOException {
        edit(checkpoint -> checkpoint.stateDict().renamePrefix("model.encoder.", "model.backbone."));

        try (TorchCheckpoint sample = open(dir.resolve("sample.ckpt"))) {
            assertEquals(List.of("model.backbone.weight", "model.backbone.bias", "model.head.weight", "model.head.bias"),
                    Checkpoint.of(sample).stateDict().keys());
            PyObject metadata = (PyObject) ((PyObject) sample.rootDict().get("state_dict")).attributes().get("_metadata");
            assertEquals(List.of("", "model", "model.backbone", "model.head"), List.copyOf(metadata.dictItems().keySet()));
        }
    }

    @Test
    void hyperParametersIsADictConfigTheViewReads() throws IOException {
        try (TorchCheckpoint sample = open()) {
            OmegaConfView config = Checkpoint.of(sample).config("hyper_parameters");
            assertTrue(config.isDict());
            assertEquals(Map.of("model", Map.of("hidden", 4L, "dropout", 0.1), "lr", 0.001), config.toPlain());
            assertEquals(PyGlobal.of("omegaconf.nodes", "AnyNode"), config.nodeClass("model.hidden"));
            assertEquals("cfg", sample.rootDict().get("hparams_name"));
        }
    }

    @Test
    void hyperParametersEditsSurviveAWrite() throws IOException {
        edit(checkpoint -> {
            checkpoint.config("hyper_parameters").set("model.hidden", 8L);
            checkpoint.config("hyper_parameters").set("model.layers", 2L);
            checkpoint.config("hyper_parameters").remove("model.dropout");
        });

        try (TorchCheckpoint sample = open(dir.resolve("sample.ckpt"))) {
            assertEquals(Map.of("model", Map.of("hidden", 8L, "layers", 2L), "lr", 0.001),
                    Checkpoint.of(sample).config("hyper_parameters").toPlain());
        }
    }

    @Test
    void optimizerStateIsOneAdamStateDictOverTheFourParameters() throws IOException {
        try (TorchCheckpoint sample = open()) {
            Checkpoint checkpoint = Checkpoint.of(sample);
            Map<Object, Object> adam = checkpoint.node("optimizer_states.0").asMap();
            Map<Object, Object> state = checkpoint.node("optimizer_states.0.state").asMap();
            assertEquals(List.of(0L, 1L, 2L, 3L), List.copyOf(state.keySet()));
            Map<?, ?> head = (Map<?, ?>) state.get(2L);
            assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), List.copyOf(head.keySet()));
            assertArrayEquals(new long[0], TensorView.of(head.get("step")).shape());
            assertArrayEquals(new float[] {1f}, TorchCheckpoint.asFloats(sample.readData(TensorView.of(head.get("step")))));
            assertArrayEquals(new long[] {2, 4}, TensorView.of(head.get("exp_avg_sq")).shape());
            assertEquals(1f, TorchCheckpoint.asFloats(sample.readData(TensorView.of(head.get("exp_avg"))))[0]);
            Map<?, ?> group = (Map<?, ?>) ((List<?>) adam.get("param_groups")).get(0);
            assertEquals(PyTuple.of(0.9, 0.999), group.get("betas"));
            assertEquals(List.of(0L, 1L, 2L, 3L), group.get("params"));
            assertEquals(List.of(), sample.rootDict().get("lr_schedulers"));
        }
    }

    @Test
    void loopsHoldTheProgressOfOneTrainingStep() throws IOException {
        try (TorchCheckpoint sample = open()) {
            Node fitLoop = Checkpoint.of(sample).node("loops.fit_loop");
            assertEquals(1L, fitLoop.get("epoch_loop.state_dict").get("_batches_that_stepped").value());
            assertEquals(Map.of("ready", 1L, "completed", 1L), fitLoop.get("epoch_loop.automatic_optimization.optim_progress")
                    .path("optimizer.step.total").value());
            assertInstanceOf(Map.class, Checkpoint.of(sample).node("callbacks").value());
        }
    }

    private TorchCheckpoint open() throws IOException {
        return open(LightningSample.write(dir.resolve("sample.ckpt")));
    }

    private static TorchCheckpoint open(Path file) throws IOException {
        return TorchCheckpoint.open(file);
    }

    /** Writes the sample, edits it as a migration would, and writes it back. */
    private void edit(Consumer<Checkpoint> change) throws IOException {
        Path file = LightningSample.write(dir.resolve("sample.ckpt"));
        try (TorchCheckpoint sample = TorchCheckpoint.open(file)) {
            change.accept(Checkpoint.of(sample));
            sample.write(file);
        }
    }
}
