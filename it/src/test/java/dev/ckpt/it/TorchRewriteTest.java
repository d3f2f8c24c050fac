package dev.ckpt.it;

import static dev.ckpt.it.Trees.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.torch.DType;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints the real torch.save wrote, changed by Java and written with
 * {@link TorchCheckpoint#write}, then loaded by the real torch.load (torch 1.13): every tensor is
 * what Java says (checks.check_tensors against Java's {@link TensorManifest}), and everything
 * Java did not change equals the original, storage sharing included (checks.compare, both files
 * loaded in one Python process).
 */
class TorchRewriteTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny", "multi", "shared", "views", "dtypes", "parameters", "lightning", "quantized", "bytesio", "large", "protocol4"})
    void noOpRewriteLoadsInTorchEqualToTheOriginal(String kind) throws Exception {
        Path original = TorchOracle.make(kind, dir.resolve(kind + ".ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            checkpoint.write(rewritten);
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()));
    }

    @Test
    void renamedKeysLoadInTorchUnderTheirNewNamesWithTheirValues() throws Exception {
        Path original = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> root = checkpoint.rootDict();
            Map<Object, Object> stateDict = Trees.dict(root.get("state_dict"));
            stateDict.put("enc.weight", stateDict.remove("encoder.weight"));
            stateDict.put("enc.bias", stateDict.remove("encoder.bias"));
            root.put("comment", root.remove("note"));
            checkpoint.write(rewritten);
            assertOk(TorchOracle.checkTensors(rewritten, TensorManifest.of(checkpoint)));
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .renamed(path("state_dict", "enc.weight"), path("state_dict", "encoder.weight"))
                .renamed(path("state_dict", "enc.bias"), path("state_dict", "encoder.bias"))
                .renamed(path("comment"), path("note"))));
    }

    @Test
    void deletedTensorsAreAbsentInTorchAndEverythingElseIsUnchanged() throws Exception {
        Path original = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> stateDict = Trees.dict(checkpoint.rootDict().get("state_dict"));
            stateDict.remove("decoder.bias");
            stateDict.remove("steps");
            checkpoint.write(rewritten);
            assertOk(TorchOracle.checkTensors(rewritten, TensorManifest.of(checkpoint)));
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .deleted(path("state_dict", "decoder.bias"))
                .deleted(path("state_dict", "steps"))));
    }

    @Test
    void newTensorsOfEveryDtypeLoadInTorchWithTheBytesJavaGave() throws Exception {
        Path original = TorchOracle.make("tiny", dir.resolve("tiny.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        Changes changes = Changes.none();
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> root = checkpoint.rootDict();
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.COMPLEX64,
                    DType.COMPLEX128, DType.UINT8, DType.INT8, DType.INT16, DType.INT32, DType.INT64, DType.BOOL}) {
                long[] shape = {2, 3};
                byte[] data = pattern(6 * dtype.elementSize(), dtype == DType.BOOL);
                TensorView tensor = checkpoint.newTensor(dtype, shape, data);
                assertArrayEquals(data, checkpoint.readData(tensor));
                root.put("new_" + dtype.pythonName(), tensor.value());
                changes.added(path("new_" + dtype.pythonName()), null);
            }
            root.put("new_scalar", checkpoint.newTensor(DType.FLOAT64, new long[0], doubles(2.5)).value());
            changes.added(path("new_scalar"), "torch.tensor(2.5, dtype=torch.float64)");
            root.put("new_empty", checkpoint.newTensor(DType.INT32, new long[] {0, 4}, new byte[0]).value());
            changes.added(path("new_empty"), "torch.zeros(0, 4, dtype=torch.int32)");
            root.put("new_floats", checkpoint.newTensor(DType.FLOAT32, new long[] {2, 2}, TorchCheckpoint.fromFloats(1.5f, -2f, 0f, 1e30f)).value());
            changes.added(path("new_floats"), "torch.tensor([[1.5, -2.0], [0.0, 1e30]])");
            checkpoint.write(rewritten);
            TensorManifest manifest = TensorManifest.of(checkpoint);
            assertEquals(16, manifest.size());
            assertOk(TorchOracle.checkTensors(rewritten, manifest));
        }
        assertOk(TorchOracle.compare(original, rewritten, changes));
    }

    @Test
    void replacingDataPermutesTheRowsOfAWeightAsTorchSeesIt() throws Exception {
        Path original = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        int[] permutation = {4, 0, 3, 1, 2};
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            TensorView weight = Trees.tensor(checkpoint.root(), "state_dict", "encoder.weight");
            checkpoint.replaceData(weight, permuteRows(checkpoint.readData(weight), weight, permutation));
            checkpoint.write(rewritten);
            assertOk(TorchOracle.checkTensors(rewritten, TensorManifest.of(checkpoint)));
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .replaced(path("state_dict", "encoder.weight"), "orig['state_dict']['encoder.weight'][[4, 0, 3, 1, 2]]")));
    }

    @Test
    void replacingDataOfATransposedViewLeavesTheOtherViewsOfItsStorageAlone() throws Exception {
        Path original = TorchOracle.make("views", dir.resolve("views.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        int[] permutation = {5, 4, 3, 2, 1, 0};
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            TensorView transposed = Trees.tensor(checkpoint.root(), "transposed");
            checkpoint.replaceData(transposed, permuteRows(checkpoint.readData(transposed), transposed, permutation));
            checkpoint.write(rewritten);
            assertOk(TorchOracle.checkTensors(rewritten, TensorManifest.of(checkpoint)));
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .replaced(path("transposed"), "orig['transposed'].flip(0)")
                .notShared(path("transposed"), path("matrix"))));
    }

    @Test
    void tiedWeightsStillShareOneStorageInTorchAfterARenamingRewrite() throws Exception {
        Path original = TorchOracle.make("shared", dir.resolve("shared.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> stateDict = Trees.dict(checkpoint.rootDict().get("state_dict"));
            stateDict.put("head.weight", stateDict.remove("1.weight"));
            checkpoint.write(rewritten);
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .renamed(path("state_dict", "head.weight"), path("state_dict", "1.weight"))
                .shared(path("state_dict", "0.weight"), path("state_dict", "head.weight"))
                .shared(path("same_a"), path("same_b"))));
    }

    @Test
    void viewsAtDifferentOffsetsStillShareOneStorageInTorchAfterARewrite() throws Exception {
        Path original = TorchOracle.make("shared", dir.resolve("shared.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> root = checkpoint.rootDict();
            root.put("slices", root.remove("views"));
            checkpoint.write(rewritten);
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .renamed(path("slices"), path("views"))
                .shared(path("slices", "head"), path("slices", "middle"))
                .shared(path("slices", "middle"), path("slices", "tail"))));
    }

    @Test
    void replacingOneOfTwoTiedWeightsGivesItAStorageOfItsOwn() throws Exception {
        Path original = TorchOracle.make("shared", dir.resolve("shared.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            TensorView head = Trees.tensor(checkpoint.root(), "state_dict", "1.weight");
            checkpoint.replaceData(head, permuteRows(checkpoint.readData(head), head, new int[] {1, 0, 2, 3, 4, 5}));
            checkpoint.write(rewritten);
            assertOk(TorchOracle.checkTensors(rewritten, TensorManifest.of(checkpoint)));
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .replaced(path("state_dict", "1.weight"), "orig['state_dict']['1.weight'][[1, 0, 2, 3, 4, 5]]")
                .notShared(path("state_dict", "0.weight"), path("state_dict", "1.weight"))));
    }

    @Test
    void parametersKeepTheirClassAndRequiresGradWhenRenamedOrReplaced() throws Exception {
        Path original = TorchOracle.make("parameters", dir.resolve("parameters.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> root = checkpoint.rootDict();
            root.put("frozen", root.remove("param_frozen"));
            TensorView param = Trees.tensor(root, "param_grad");
            checkpoint.replaceData(param, permuteRows(checkpoint.readData(param), param, new int[] {1, 0}));
            TensorView tensor = Trees.tensor(root, "tensor_grad");
            checkpoint.replaceData(tensor, permuteRows(checkpoint.readData(tensor), tensor, new int[] {2, 1, 0}));
            checkpoint.write(rewritten);
            assertOk(TorchOracle.checkTensors(rewritten, TensorManifest.of(checkpoint)));
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .renamed(path("frozen"), path("param_frozen"))
                .replaced(path("param_grad"), "torch.nn.Parameter(orig['param_grad'].detach().flip(0))")
                .replaced(path("tensor_grad"), "orig['tensor_grad'].detach().flip(0).requires_grad_()")));
    }

    @Test
    void lightningCheckpointKeepsConfigStatisticsAndOptimizerStateThroughAMigration() throws Exception {
        Path original = TorchOracle.make("lightning", dir.resolve("lightning.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> root = checkpoint.rootDict();
            Map<Object, Object> stateDict = Trees.dict(root.get("state_dict"));
            stateDict.put("norm.weight", stateDict.remove("2.weight"));
            stateDict.put("norm.bias", stateDict.remove("2.bias"));
            TensorView embedding = Trees.tensor(root, "state_dict", "0.weight");
            stateDict.put("embedding.rows", checkpoint.newTensor(DType.INT64, new long[] {1}, longs(embedding.shape()[0])).value());
            TensorView norm = TensorView.of(stateDict.get("norm.weight"));
            checkpoint.replaceData(norm, permuteRows(checkpoint.readData(norm), norm, new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}));
            Trees.dict(Trees.get(root, path("callbacks", "ModelCheckpoint"))).remove("best_model_score");
            checkpoint.write(rewritten);
            assertOk(TorchOracle.checkTensors(rewritten, TensorManifest.of(checkpoint)));
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .deleted(path("callbacks", "ModelCheckpoint", "best_model_score"))
                .renamed(path("state_dict", "norm.weight"), path("state_dict", "2.weight"))
                .renamed(path("state_dict", "norm.bias"), path("state_dict", "2.bias"))
                .added(path("state_dict", "embedding.rows"), "torch.tensor([10])")
                .replaced(path("state_dict", "norm.weight"), "orig['state_dict']['2.weight'].flip(0)")
                .shared(path("state_dict", "0.weight"), path("state_dict", "1.weight"))));
    }

    @Test
    void quantizedTensorsSurviveARewriteThatRenamesThem() throws Exception {
        Path original = TorchOracle.make("quantized", dir.resolve("quantized.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> root = checkpoint.rootDict();
            root.put("channelwise", root.remove("per_channel"));
            root.remove("float");
            checkpoint.write(rewritten);
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .renamed(path("channelwise"), path("per_channel"))
                .deleted(path("float"))));
    }

    static void assertOk(String summary) {
        assertTrue(summary.startsWith("OK "), summary);
    }

    /** The tensor's row-major bytes with its rows (first dimension) in the given order. */
    static byte[] permuteRows(byte[] data, TensorView tensor, int[] order) {
        int rowBytes = data.length / (int) tensor.shape()[0];
        assertEquals(tensor.shape()[0], order.length);
        byte[] out = new byte[data.length];
        for (int row = 0; row < order.length; row++) {
            System.arraycopy(data, order[row] * rowBytes, out, row * rowBytes, rowBytes);
        }
        return out;
    }

    /** A deterministic byte pattern; 0/1 only for bool (the only values a torch bool may hold). */
    private static byte[] pattern(int length, boolean bool) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (bool ? i % 3 % 2 : i * 37 + 11);
        }
        return data;
    }

    private static byte[] doubles(double... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(values);
        return buf.array();
    }

    private static byte[] longs(long... values) {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return buf.array();
    }
}
