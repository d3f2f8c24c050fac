package dev.ckpt.engine;

import static dev.ckpt.engine.MigrationOracle.check;
import static dev.ckpt.engine.MigrationOracle.listing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PyTuple;
import dev.ckpt.torch.ArchiveRecord;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TorchCheckpoint#create}, which makes the synthetic checkpoints of {@code validate} and of
 * the tests teams write: torch.load (/usr/bin/python3) reads the file and sees the root.
 */
@Tag("torch")
class TorchCheckpointCreateTest {
    @TempDir
    Path dir;

    @Test
    void torchLoadSeesTheRoot() throws IOException {
        Path file = dir.resolve("created.ckpt");
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("epoch", 3L);
        root.put("global_step", 1200L);
        root.put("pytorch-lightning_version", "2.0.0");
        PyObject stateDict = new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("collections", "OrderedDict"), PyTuple.of());
        stateDict.dictItemsForUpdate().put("layer.scale", 0.5);
        stateDict.dictItemsForUpdate().put("layer.steps", 7L);
        root.put("state_dict", stateDict);
        Map<Object, Object> hyper = new LinkedHashMap<>();
        hyper.put("lr", 0.001);
        hyper.put("layers", new ArrayList<>(List.of(64L, 32L)));
        hyper.put("flags", Arrays.asList(true, false, null));
        hyper.put("name", "héllo ✓");
        hyper.put("metadata", new LinkedHashMap<>());
        root.put("hyper_parameters", hyper);
        root.put("blob", new byte[] {0, 1, (byte) 0xff});
        root.put("pair", PyTuple.of(1L, "two"));
        root.put("big", BigInteger.TWO.pow(70));
        root.put(7L, "an int key");

        TorchCheckpoint.create(file, root);

        assertEquals(List.of("created.ckpt"), listing(dir), "no temporary file is left");
        check(dir, """
                import collections
                ck = load(sys.argv[1])
                assert type(ck) is dict, type(ck)
                assert list(ck) == ["epoch", "global_step", "pytorch-lightning_version", "state_dict", "hyper_parameters",
                                    "blob", "pair", "big", 7], list(ck)
                assert ck["epoch"] == 3 and ck["global_step"] == 1200 and type(ck["epoch"]) is int
                assert ck["pytorch-lightning_version"] == "2.0.0"
                sd = ck["state_dict"]
                assert type(sd) is collections.OrderedDict, type(sd)
                assert list(sd.items()) == [("layer.scale", 0.5), ("layer.steps", 7)], sd
                assert ck["hyper_parameters"] == {"lr": 0.001, "layers": [64, 32], "flags": [True, False, None],
                                                  "name": "h\\u00e9llo \\u2713", "metadata": {}}, ck["hyper_parameters"]
                assert ck["blob"] == b"\\x00\\x01\\xff" and type(ck["blob"]) is bytes
                assert ck["pair"] == (1, "two") and type(ck["pair"]) is tuple
                assert ck["big"] == 2 ** 70
                assert ck[7] == "an int key"
                """, file);

        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            assertEquals("archive", archive.prefix());
            assertEquals(List.of("archive/data.pkl", "archive/version"), archive.records().stream().map(ArchiveRecord::name).toList());
            assertEquals(root.keySet(), archive.rootDict().keySet());
            assertEquals(3L, archive.rootDict().get("epoch"));
            assertEquals(BigInteger.TWO.pow(70), archive.rootDict().get("big"));
            assertEquals("an int key", archive.rootDict().get(7L));
        }
    }

    @Test
    void theSyntheticShapeLoadsAndCreateReplacesAnExistingFile() throws IOException {
        Path file = Files.writeString(dir.resolve("synthetic.ckpt"), "an older file at that path");
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("state_dict", new PyObject(PyObject.Construction.REDUCE, PyGlobal.of("collections", "OrderedDict"), PyTuple.of()));
        root.put("hyper_parameters", new LinkedHashMap<>());

        TorchCheckpoint.create(file, root);

        check(dir, """
                import collections
                ck = load(sys.argv[1])
                assert ck == {"state_dict": collections.OrderedDict(), "hyper_parameters": {}}, ck
                assert type(ck["state_dict"]) is collections.OrderedDict
                """, file);
        try (TorchCheckpoint archive = TorchCheckpoint.open(file)) {
            assertTrue(Checkpoint.of(archive).stateDict().keys().isEmpty(), "an empty OrderedDict is an empty state_dict");
        }
    }
}
