package dev.ckpt.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data.pkl of a checkpoint written by the real torch.save (the oracle) through our engine. */
@Tag("torch")
class TorchDataPickleTest {
    @TempDir
    static Path dir;
    static Path checkpoint;
    static byte[] dataPkl;

    @BeforeAll
    static void saveCheckpointWithTorch() throws IOException {
        checkpoint = dir.resolve("last.ckpt");
        PythonOracle.run(PythonOracle.corpusScripts().resolve("make_torch_checkpoint.py"), List.of(checkpoint.toString()), "");
        try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
            ZipEntry record = zip.stream().filter(e -> e.getName().endsWith("/data.pkl")).findFirst().orElseThrow();
            try (InputStream in = zip.getInputStream(record)) {
                dataPkl = in.readAllBytes();
            }
        }
    }

    @Test
    void unmodifiedTorchDataPickleIsRewrittenByteForByte() {
        assertArrayEquals(dataPkl, new PickleWriter().write(new PickleReader().read(dataPkl)));
    }

    @Test
    void tensorsAreRebuildCallsOverPersistentStorageReferences() {
        Map<?, ?> root = assertInstanceOf(Map.class, new PickleReader().read(dataPkl));
        PyObject stateDict = assertInstanceOf(PyObject.class, root.get("state_dict"));
        assertEquals(PyGlobal.of("collections", "OrderedDict"), stateDict.pythonClass());
        assertTrue(stateDict.attributes().containsKey("_metadata"), "state_dict keeps its _metadata attribute");
        PyObject weight = assertInstanceOf(PyObject.class, stateDict.dictItems().get("0.weight"));
        assertEquals(PyGlobal.of("torch._utils", "_rebuild_tensor_v2"), weight.callable());
        PyPersistentId storage = assertInstanceOf(PyPersistentId.class, weight.args().get(0));
        assertEquals("storage", ((PyTuple) storage.id()).get(0));
        PyObject tied = (PyObject) stateDict.dictItems().get("1.weight");
        PyTuple tiedId = (PyTuple) ((PyPersistentId) tied.args().get(0)).id();
        assertEquals(((PyTuple) storage.id()).get(2), tiedId.get(2), "tied weights name one storage key");
    }
}
