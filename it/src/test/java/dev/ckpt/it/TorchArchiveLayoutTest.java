package dev.ckpt.it;

import static dev.ckpt.it.TorchRewriteTest.assertOk;
import static dev.ckpt.it.Trees.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.it.TorchOracle.ZipRecord;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.torch.ArchiveRecord;
import dev.ckpt.torch.DType;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The zip archive {@link TorchCheckpoint#write} produces, read with Python's zipfile (records,
 * CRCs, data offsets from the local headers) and loaded with the real torch.load (torch 1.13).
 */
class TorchArchiveLayoutTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny", "multi", "shared", "views", "dtypes", "parameters", "lightning", "quantized", "list_root", "large"})
    void noOpRewriteKeepsDataPklByteIdentical(String kind) throws Exception {
        Path original = TorchOracle.make(kind, dir.resolve(kind + ".ckpt"));
        Path rewritten = noOpRewrite(original);
        String dataPkl = kind + "/data.pkl";
        assertEquals(records(original).get(dataPkl).sha256(), records(rewritten).get(dataPkl).sha256(), dataPkl);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny", "multi", "shared", "views", "dtypes", "parameters", "lightning", "quantized", "large"})
    void noOpRewriteKeepsEveryStorageRecordByteIdentical(String kind) throws Exception {
        Path original = TorchOracle.make(kind, dir.resolve(kind + ".ckpt"));
        Path rewritten = noOpRewrite(original);
        Map<String, String> before = storageDigests(original);
        assertFalse(before.isEmpty());
        assertEquals(before, storageDigests(rewritten));
    }

    @Test
    void noOpRewriteKeepsTheRecordsInTorchsOrder() throws Exception {
        Path original = TorchOracle.make("lightning", dir.resolve("lightning.ckpt"));
        Path rewritten = noOpRewrite(original);
        assertEquals(List.copyOf(records(original).keySet()), List.copyOf(records(rewritten).keySet()));
    }

    @Test
    void deletingATensorDropsItsStorageAndRenumbersTheOthersAsTorchWould() throws Exception {
        Path original = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        String record;
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> stateDict = Trees.dict(checkpoint.rootDict().get("state_dict"));
            record = "multi/data/" + TensorView.of(stateDict.remove("decoder.weight")).storage().key();
            checkpoint.write(rewritten);
        }
        String dropped = records(original).get(record).sha256();
        assertTrue(records(rewritten).values().stream().noneMatch(r -> r.sha256().equals(dropped)), record + "'s bytes should be dropped");
        assertEquals(records(original).size() - 1, records(rewritten).size());
        List<String> keys = records(rewritten).keySet().stream().filter(n -> n.startsWith("multi/data/")).sorted().toList();
        if (PythonOracle.torch2()) {
            assertEquals(List.of("multi/data/0", "multi/data/1", "multi/data/2", "multi/data/3"), keys,
                    "keys 0, 1, ... as torch 2.x numbers the storages it writes (its loader relies on it)");
        } else {
            List<String> kept = new java.util.ArrayList<>(records(original).keySet().stream().filter(n -> n.startsWith("multi/data/")).sorted().toList());
            kept.remove(record);
            assertEquals(kept, keys, "a torch 1.x archive keeps its keys (its loader finds storages by name)");
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none().deleted(path("state_dict", "decoder.weight"))));
    }

    @Test
    void replacingTheOnlyTensorOfAStorageDropsTheOldStorageRecord() throws Exception {
        Path original = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        String oldRecord;
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            TensorView bias = Trees.tensor(checkpoint.root(), "state_dict", "decoder.bias");
            oldRecord = "multi/data/" + bias.storage().key();
            checkpoint.replaceData(bias, TorchCheckpoint.fromFloats(1, 2, 3));
            checkpoint.write(rewritten);
        }
        Map<String, ZipRecord> after = records(rewritten);
        String oldBytes = records(original).get(oldRecord).sha256();
        assertTrue(after.values().stream().noneMatch(r -> r.sha256().equals(oldBytes)), oldRecord + "'s bytes should be dropped");
        assertEquals(records(original).size(), after.size(), "the new storage takes the old one's place");
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .replaced(path("state_dict", "decoder.bias"), "torch.tensor([1.0, 2.0, 3.0])")));
    }

    @Test
    void deletingOneOfTheTensorsOverAStorageKeepsTheStorageForTheOthers() throws Exception {
        Path original = TorchOracle.make("shared", dir.resolve("shared.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        String record;
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> views = Trees.dict(checkpoint.rootDict().get("views"));
            record = "shared/data/" + TensorView.of(views.remove("head")).storage().key();
            Map<Object, Object> stateDict = Trees.dict(checkpoint.rootDict().get("state_dict"));
            stateDict.remove("0.weight");
            checkpoint.write(rewritten);
        }
        assertEquals(records(original).get(record).sha256(), records(rewritten).get(record).sha256(), record);
        assertEquals(records(original).size(), records(rewritten).size());
        assertOk(TorchOracle.compare(original, rewritten, Changes.none()
                .deleted(path("views", "head"))
                .deleted(path("state_dict", "0.weight"))
                .shared(path("views", "middle"), path("views", "tail"))));
    }

    @Test
    void everyRecordWeWriteHas64ByteAlignedDataAndACorrectCrc() throws Exception {
        Path original = TorchOracle.make("lightning", dir.resolve("lightning.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Map<Object, Object> stateDict = Trees.dict(checkpoint.rootDict().get("state_dict"));
            stateDict.put("odd", checkpoint.newTensor(DType.UINT8, new long[] {7}, new byte[] {1, 2, 3, 4, 5, 6, 7}).value());
            stateDict.put("odd2", checkpoint.newTensor(DType.INT16, new long[] {3}, new byte[] {1, 2, 3, 4, 5, 6}).value());
            stateDict.put("a.much.longer.name.for.a.tensor", stateDict.remove("2.bias"));
            checkpoint.write(rewritten);
            assertOk(TorchOracle.checkTensors(rewritten, TensorManifest.of(checkpoint)));
        }
        List<ZipRecord> records = TorchOracle.zipRecords(rewritten);
        assertEquals("testzip None", records.get(0).name() + " " + records.get(0).sha256(), "zipfile.testzip(): first bad record");
        for (ZipRecord record : records.subList(1, records.size())) {
            assertEquals(0, record.dataOffset() % 64, record.name() + " data at " + record.dataOffset());
            assertEquals(0, record.method(), record.name() + " must be stored");
        }
        try (TorchCheckpoint reopened = TorchCheckpoint.open(rewritten)) {
            for (ArchiveRecord record : reopened.records()) {
                assertEquals(0, record.dataOffset() % 64, record.name());
            }
        }
    }

    @Test
    void torchNamesTheArchiveAfterTheFileStemAndARewriteKeepsThatPrefix() throws Exception {
        Path original = TorchOracle.make("tiny", dir.resolve("my.model.ckpt"));
        Path rewritten = dir.resolve("other.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            assertEquals("my.model", checkpoint.prefix());
            checkpoint.rootDict().put("b", checkpoint.newTensor(DType.FLOAT32, new long[] {1}, TorchCheckpoint.fromFloats(3)).value());
            checkpoint.write(rewritten);
        }
        for (String name : records(rewritten).keySet()) {
            assertTrue(name.startsWith("my.model/"), name);
        }
        assertOk(TorchOracle.compare(original, rewritten, Changes.none().added(path("b"), "torch.tensor([3.0])")));
    }

    @Test
    void anArchiveFolderArchiveFromABytesIoSaveIsKeptOnRewrite() throws Exception {
        Path original = TorchOracle.make("bytesio", dir.resolve("bytesio.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        Path compacted = dir.resolve("compacted.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            assertEquals("archive", checkpoint.prefix());
            checkpoint.rootDict().put("b", checkpoint.newTensor(DType.FLOAT32, new long[] {1}, TorchCheckpoint.fromFloats(3)).value());
            checkpoint.write(rewritten);
            checkpoint.write(compacted, new dev.ckpt.pickle.PickleWriter(), () -> { }, dev.ckpt.torch.WriteProgress.NONE,
                    dev.ckpt.torch.RewriteMode.COMPACT);
        }
        List<String> expected = new java.util.ArrayList<>(records(original).keySet());
        expected.add(expected.indexOf("archive/data/0") + 1, "archive/data/1");
        assertEquals(expected, List.copyOf(records(compacted).keySet()), "the new storage right after the old one, as torch.save writes them");
        List<String> taken = List.copyOf(records(rewritten).keySet());
        assertEquals(taken.indexOf("archive/data/0") + 1, taken.indexOf("archive/data/1"), "after the storage taken over: " + taken);
        assertEquals(java.util.Set.copyOf(expected), java.util.Set.copyOf(taken));
        for (Path file : List.of(rewritten, compacted)) {
            assertOk(TorchOracle.compare(original, file, Changes.none().added(path("b"), "torch.tensor([3.0])")));
        }
    }

    /** Inside the archive folder: torch 1.13 refuses to load a zip with a record outside it. */
    @Test
    void unknownRecordsAreKeptByteForByte() throws Exception {
        Path original = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        TorchOracle.call("append_record", original.toString(), "multi/extra/provenance.json", "{\"run\": 7}");
        if (!records(original).containsKey("multi/.data/serialization_id")) {  // torch 2.x writes one itself
            TorchOracle.call("append_record", original.toString(), "multi/.data/serialization_id", "1234567890\n");
        }
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            Trees.dict(checkpoint.rootDict().get("state_dict")).remove("steps");
            checkpoint.write(rewritten);
        }
        Map<String, ZipRecord> before = records(original);
        Map<String, ZipRecord> after = records(rewritten);
        for (String name : List.of("multi/extra/provenance.json", "multi/version")) {
            assertTrue(after.containsKey(name), name + " should be kept");
            assertEquals(before.get(name).sha256(), after.get(name).sha256(), name);
        }
        // torch's serialization id is computed from the records written, as torch's writer computes it
        assertTrue(after.containsKey("multi/.data/serialization_id"));
        assertFalse(before.get("multi/.data/serialization_id").sha256().equals(after.get("multi/.data/serialization_id").sha256()));
        assertOk(TorchOracle.compare(original, rewritten, Changes.none().deleted(path("state_dict", "steps"))));
    }

    @Test
    void aCheckpointWithMoreRecordsThanAPlainZipCanCountRoundTripsThroughZip64() throws Exception {
        Path original = TorchOracle.make("many", dir.resolve("many.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        int torchRecords;  // besides the storages: version (torch 1.13); also .format_version, .storage_alignment, byteorder, serialization id (2.13)
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            torchRecords = checkpoint.records().size() - 66_001;
            assertEquals(PythonOracle.torch2() ? 5 : 1, torchRecords);
            Map<Object, Object> root = checkpoint.rootDict();
            root.remove("0");
            root.put("extra", checkpoint.newTensor(DType.INT8, new long[] {1}, new byte[] {5}).value());
            root.put("extra2", checkpoint.newTensor(DType.INT8, new long[] {1}, new byte[] {6}).value());
            checkpoint.write(rewritten);
            assertEquals("OK 66001 tensors", TorchOracle.checkTensors(rewritten, TensorManifest.of(checkpoint)));
        }
        List<ZipRecord> records = TorchOracle.zipRecords(rewritten);
        assertEquals("testzip None", records.get(0).name() + " " + records.get(0).sha256());
        assertEquals(66_002 + torchRecords, records.size() - 1);
        try (TorchCheckpoint reopened = TorchCheckpoint.open(rewritten)) {
            assertEquals(66_002 + torchRecords, reopened.records().size());
        }
    }

    private Path noOpRewrite(Path original) throws Exception {
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            checkpoint.write(rewritten);
        }
        return rewritten;
    }

    /** Records by name, in archive order, as zipfile reads them. */
    static Map<String, ZipRecord> records(Path file) {
        List<ZipRecord> records = TorchOracle.zipRecords(file);
        return records.subList(1, records.size()).stream()
                .collect(Collectors.toMap(ZipRecord::name, Function.identity(), (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static Map<String, String> storageDigests(Path file) {
        return records(file).values().stream().filter(r -> r.name().contains("/data/"))
                .collect(Collectors.toMap(ZipRecord::name, ZipRecord::sha256));
    }
}
