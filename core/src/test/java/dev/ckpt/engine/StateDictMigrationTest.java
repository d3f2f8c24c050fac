package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.check;
import static dev.ckpt.engine.MigrationOracle.fixture;
import static dev.ckpt.engine.Scenarios.migrator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Node;
import dev.ckpt.api.StateDict;
import dev.ckpt.engine.scenarios.more.M1760000003_rename_encoder;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The StateDict and Node helpers, on a real model's state_dict and on plain trees. */
@Tag("torch")
class StateDictMigrationTest {
    private static final List<String> ENCODER_KEYS = List.of("encoder.0.weight", "encoder.0.bias", "encoder.1.weight",
            "encoder.1.bias", "encoder.1.running_mean", "encoder.1.running_var", "encoder.1.num_batches_tracked",
            "head.weight", "head.bias");

    @TempDir
    Path dir;

    @Test
    void renamePrefixKeepsTheOrderAndRenamesTheMetadataSoTorchLoadsTheRenamedModel() throws IOException {
        Path file = fixture("model", dir);
        Path original = dir.resolve("original.ckpt");
        java.nio.file.Files.copy(file, original);
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            assertEquals(ENCODER_KEYS, Checkpoint.of(archive).stateDict().keys());
        }

        migrator(M1760000003_rename_encoder.class).apply(file);

        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            assertEquals(ENCODER_KEYS.stream().map(k -> k.replaceFirst("^encoder\\.", "backbone.")).toList(),
                    Checkpoint.of(archive).stateDict().keys());
        }
        check(dir, """
                class Net(torch.nn.Module):
                    def __init__(self, name):
                        super().__init__()
                        setattr(self, name, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4)))
                        self.head = torch.nn.Linear(4, 2)

                migrated = load(sys.argv[1])["state_dict"]
                before = load(sys.argv[2])["state_dict"]
                net = Net("backbone")
                expected = net.state_dict()
                assert list(migrated) == list(expected), list(migrated)
                assert list(migrated._metadata) == list(expected._metadata), list(migrated._metadata)
                assert migrated._metadata["backbone.1"] == before._metadata["encoder.1"]
                net.load_state_dict(migrated)  # strict
                for key, value in before.items():
                    assert torch.equal(net.state_dict()[key.replace("encoder.", "backbone.", 1)], value), key
                """, file, original);

        migrator(M1760000003_rename_encoder.class).rollbackLast(file, 1);
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            StateDict stateDict = Checkpoint.of(archive).stateDict();
            assertEquals(ENCODER_KEYS, stateDict.keys());
            PyObject metadata = (PyObject) ((PyObject) archive.rootDict().get("state_dict")).attributes().get("_metadata");
            assertEquals(List.of("", "encoder", "encoder.0", "encoder.1", "head"), List.copyOf(metadata.dictItems().keySet().stream().map(String::valueOf).toList()));
        }
    }

    @Test
    void nodeNavigationAnswersMissingPathsInsteadOfThrowing() throws IOException {
        Map<Object, Object> config = new LinkedHashMap<>();
        config.put("layers", List.of(4L, 8L));
        config.put("dropout", null);
        config.put("name", "net");
        Node root = Node.of(Map.of("config", config));

        assertEquals(8L, root.path("config.layers.1").asLong());
        assertTrue(root.path("config.dropout").isNull());
        assertFalse(root.path("config.dropout").isMissing());
        for (String path : List.of("config.layers.2", "config.nothing", "config.nothing.deeper.still", "config.name.deeper", "other")) {
            Node node = root.path(path);
            assertTrue(node.isMissing(), path);
            assertFalse(node.isNull(), path);
            assertNull(node.value(), path);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> root.path("config.nothing.deeper").asText());
        assertTrue(e.getMessage().contains("'config.nothing'") && e.getMessage().contains("missing"), e.getMessage());
        IllegalStateException wrongType = assertThrows(IllegalStateException.class, () -> root.path("config.name").asLong());
        assertTrue(wrongType.getMessage().contains("'config.name' is str"), wrongType.getMessage());
        assertThrows(IllegalStateException.class, () -> root.path("config.layers").asMap());

        Path file = fixture("model", dir);
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            Checkpoint checkpoint = Checkpoint.of(archive);
            assertTrue(checkpoint.node("state_dict").isMap(), "an OrderedDict is navigated by its items");
            assertFalse(checkpoint.node("state_dict").get("encoder.0.weight").isMissing());
            assertTrue(checkpoint.node("state_dict.encoder.0.weight").isMissing(), "dots split the path");
            assertTrue(checkpoint.node("hyper_parameters.metadata.migrations.history").isMissing());
            IllegalStateException absent = assertThrows(IllegalStateException.class, () -> checkpoint.config("hyper_parameters.config"));
            assertTrue(absent.getMessage().contains("hyper_parameters.config"), absent.getMessage());
        }
    }
}
