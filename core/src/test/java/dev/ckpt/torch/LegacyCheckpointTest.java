package dev.ckpt.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PythonOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pre-1.6 torch.save files (made by the real torch, the oracle) are read and written back as zip archives. */
@Tag("torch")
class LegacyCheckpointTest {
    private static final Path SCRIPT = Path.of("src/test/python/torch_legacy/legacy.py").toAbsolutePath();

    @TempDir
    Path dir;

    private Path legacy(String kind) {
        Path file = dir.resolve(kind + ".pt");
        PythonOracle.run(SCRIPT, List.of(kind, file.toString()), "");
        return file;
    }

    @Test
    void legacyCheckpointIsWrittenBackAsAZipThatTorchLoadsEqual() throws IOException {
        Path original = legacy("make");
        Path converted = dir.resolve("converted.pt");
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(original)) {
            ckpt.write(converted);
        }
        assertEquals("zip", PythonOracle.run(SCRIPT, List.of("is-zip", converted.toString()), "").strip());
        assertEquals("OK", PythonOracle.run(SCRIPT, List.of("same", original.toString(), converted.toString()), "").strip());
    }

    @Test
    void legacyTensorsReadLikeZipTensors() throws IOException {
        Path original = legacy("make");
        Path converted = dir.resolve("converted.pt");
        try (TorchCheckpoint ckpt = TorchCheckpoint.open(original)) {
            ckpt.write(converted);
        }
        try (TorchCheckpoint fromLegacy = TorchCheckpoint.open(original); TorchCheckpoint fromZip = TorchCheckpoint.open(converted)) {
            for (String key : List.of("w", "w_view", "w_t", "bias")) {
                TensorView a = TensorView.of(stateDict(fromLegacy).get(key));
                TensorView b = TensorView.of(stateDict(fromZip).get(key));
                assertArrayEquals(fromZip.readData(b), fromLegacy.readData(a), key);
                assertTrue(Arrays.equals(a.shape(), b.shape()), key);
            }
            assertEquals("archive", fromLegacy.prefix());
        }
    }

    @Test
    void aPickledModuleWithItsSourceIsRefusedClearly() {
        Path module = legacy("make-module");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.open(module));
        assertTrue(e.getMessage().contains("'module'") && e.getMessage().contains(module.toString()), e.getMessage());
    }

    @Test
    void aTruncatedLegacyFileNamesTheFile() throws IOException {
        Path original = legacy("make");
        byte[] bytes = Files.readAllBytes(original);
        Path cut = Files.write(dir.resolve("cut.pt"), Arrays.copyOf(bytes, bytes.length - 10));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.open(cut));
        assertTrue(e.getMessage().contains("cut.pt") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> stateDict(TorchCheckpoint ckpt) {
        Object value = ckpt.rootDict().get("state_dict");
        return value instanceof PyObject object ? object.dictItems() : (Map<Object, Object>) value;
    }
}
