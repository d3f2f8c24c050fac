package dev.ckpt.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading checkpoints that the real torch.save wrote: every tensor Java finds, with the dtype,
 * shape, bytes ({@link TorchCheckpoint#readData}), requires_grad and parameter class Java
 * reports, is exactly what torch.load gives (oracle: checks.check_tensors, torch 1.13).
 */
class TorchReadTest {
    @TempDir
    Path dir;

    /**
     * Quantized checkpoints are not here: Java does not view {@code _rebuild_qtensor} calls as
     * tensors (their storages are still kept, see TorchRewriteTest).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny", "multi", "shared", "views", "dtypes", "parameters", "lightning", "bytesio", "large", "protocol4"})
    void everyTensorJavaReadsEqualsWhatTorchLoads(String kind) throws Exception {
        Path file = TorchOracle.make(kind, dir.resolve(kind + ".ckpt"));
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            TensorManifest manifest = TensorManifest.of(checkpoint);
            assertEquals("OK " + manifest.size() + " tensors", TorchOracle.checkTensors(file, manifest));
        }
    }

    @Test
    void everyDtypeTorchCanSaveIsReadWithItsTypeAndLittleEndianBytes() throws Exception {
        Path file = TorchOracle.make("dtypes", dir.resolve("dtypes.ckpt"));
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            for (String dtype : new String[] {"float32", "float64", "float16", "bfloat16", "complex64", "complex128",
                    "uint8", "int8", "int16", "int32", "int64", "bool"}) {
                assertEquals(dtype, Trees.tensor(checkpoint.root(), dtype).dtype().pythonName());
            }
            TensorManifest manifest = TensorManifest.of(checkpoint);
            assertEquals(26, manifest.size());
            assertEquals("OK 26 tensors", TorchOracle.checkTensors(file, manifest));
        }
    }

    @Test
    void nonContiguousViewsAndViewsWithOffsetsAreGatheredInRowMajorOrder() throws Exception {
        Path file = TorchOracle.make("views", dir.resolve("views.ckpt"));
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            Object root = checkpoint.root();
            assertFalse(Trees.tensor(root, "transposed").isContiguous());
            assertEquals(7, Trees.tensor(root, "offset_strided").storageOffset());
            assertEquals(0, Trees.tensor(root, "expanded").stride()[0]);
            // m = arange(24).reshape(4, 6): m.t()[1] = column 1 of m, m[1:, 1::3] = [[7, 10], [13, 16], [19, 22]]
            assertArrayEquals(new float[] {1, 7, 13, 19}, row(checkpoint, Trees.tensor(root, "transposed"), 1, 4));
            assertArrayEquals(new float[] {7, 10, 13, 16, 19, 22}, TorchCheckpoint.asFloats(checkpoint.readData(Trees.tensor(root, "offset_strided"))));
            assertArrayEquals(new float[] {15}, TorchCheckpoint.asFloats(checkpoint.readData(Trees.tensor(root, "scalar_at_offset"))));
            TensorManifest manifest = TensorManifest.of(checkpoint);
            assertEquals("OK 12 tensors", TorchOracle.checkTensors(file, manifest));
        }
    }

    @Test
    void parametersAndRequiresGradAreReadAsTorchLoadsThem() throws Exception {
        Path file = TorchOracle.make("parameters", dir.resolve("parameters.ckpt"));
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            Object root = checkpoint.root();
            assertTrue(Trees.tensor(root, "param_grad").isParameter());
            assertTrue(Trees.tensor(root, "param_grad").requiresGrad());
            assertFalse(Trees.tensor(root, "param_frozen").requiresGrad());
            assertFalse(Trees.tensor(root, "tensor_grad").isParameter());
            assertTrue(Trees.tensor(root, "tensor_grad").requiresGrad(), "torch.randn(3, requires_grad=True)");
            assertFalse(Trees.tensor(root, "tensor_plain").requiresGrad());
            assertFalse(Trees.tensor(root, "module_vars", "bias").requiresGrad());
            assertEquals("OK 6 tensors", TorchOracle.checkTensors(file, TensorManifest.of(checkpoint)));
        }
    }

    @Test
    void tiedWeightsAndViewsAtDifferentOffsetsNameOneStorage() throws Exception {
        Path file = TorchOracle.make("shared", dir.resolve("shared.ckpt"));
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            Object root = checkpoint.root();
            assertEquals(Trees.tensor(root, "state_dict", "0.weight").storage(), Trees.tensor(root, "state_dict", "1.weight").storage());
            TensorView head = Trees.tensor(root, "views", "head");
            TensorView tail = Trees.tensor(root, "views", "tail");
            assertEquals(head.storage(), tail.storage());
            assertEquals(0, head.storageOffset());
            assertEquals(12, tail.storageOffset());
            assertArrayEquals(new float[] {12, 13, 14, 15, 16, 17, 18, 19}, TorchCheckpoint.asFloats(checkpoint.readData(tail)));
        }
    }

    private static float[] row(TorchCheckpoint checkpoint, TensorView tensor, int row, int rowLength) throws Exception {
        float[] all = TorchCheckpoint.asFloats(checkpoint.readData(tensor));
        return java.util.Arrays.copyOfRange(all, row * rowLength, (row + 1) * rowLength);
    }

    private static void assertArrayEquals(float[] expected, float[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual);
    }
}
