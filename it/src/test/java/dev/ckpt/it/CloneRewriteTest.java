package dev.ckpt.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.io.SameOffsetCopy;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.torch.ArchiveRecord;
import dev.ckpt.torch.RewriteMode;
import dev.ckpt.torch.RewriteSummary;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import dev.ckpt.torch.WriteProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rewrite that takes the unchanged start of the file over ({@link RewriteMode#CLONE_UNCHANGED},
 * the default): what it keeps, what it writes and what it leaves dead, with the running torch (2.13
 * or 1.13) loading every result in each of its loader modes and Python's zipfile reading and
 * CRC-checking every record.
 */
class CloneRewriteTest {
    @TempDir
    Path dir;

    @Test
    void aMetadataOnlyRewriteTakesOverEveryStorageAndLeavesOnlyTheOldPickleDead() throws Exception {
        Path original = TorchOracle.make("lightning", dir.resolve("lightning.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            renameStateDictKeys(checkpoint);
            RewriteSummary summary = write(checkpoint, rewritten, RewriteMode.CLONE_UNCHANGED);
            assertEquals(SameOffsetCopy.directCall(rewritten) ? SameOffsetCopy.Method.COPY_FILE_RANGE : SameOffsetCopy.Method.TRANSFER_TO,
                    summary.copyMethod());
            ArchiveRecord lastStorage = storages(checkpoint.records()).get(storages(checkpoint.records()).size() - 1);
            assertTrue(summary.clonedBytes() >= lastStorage.dataOffset() + lastStorage.size(), "every storage taken over: " + summary);
            ArchiveRecord oldPickle = record(checkpoint.records(), "lightning/data.pkl");
            assertEquals(nextHeader(checkpoint.records(), oldPickle), summary.deadBytes(), "only the old data.pkl is dead");
            assertEquals(summary.deadBytes(), TorchCheckpoint.deadBytes(rewritten));
            byte[] before = Files.readAllBytes(original);
            byte[] after = Files.readAllBytes(rewritten);
            assertArrayEquals(Arrays.copyOf(before, (int) summary.clonedBytes()), Arrays.copyOf(after, (int) summary.clonedBytes()),
                    "the prefix holds the source's bytes at the same offsets");
            assertEquals(summary.size() - summary.clonedBytes(), summary.writtenBytes());
            assertTrue(summary.writtenBytes() < oldPickle.size() + 64 * 1024, "written anew: the pickle, the records after it, the directory: " + summary);
            assertLoadsEverywhere(checkpoint, original, rewritten);
        }
    }

    @Test
    void rewritingAgainAndAgainLeavesNoMoreDeadBytesThanTheFirstPickle() throws Exception {
        Path file = TorchOracle.make("lightning", dir.resolve("lightning.ckpt"));
        long firstDead = -1;
        long firstSize = -1;
        for (int round = 0; round < 5; round++) {
            try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
                checkpoint.rootDict().put("round", (long) round);
                RewriteSummary summary = write(checkpoint, file, RewriteMode.CLONE_UNCHANGED);
                assertTrue(summary.clonedBytes() > 0, "round " + round + ": " + summary);
                if (round == 0) {
                    firstDead = summary.deadBytes();
                    firstSize = summary.size();
                }
                assertEquals(firstDead, summary.deadBytes(), "round " + round + ": the dead bytes stay the first pickle's");
                assertTrue(summary.size() <= firstSize + 64, "round " + round + ": the file does not grow");
            }
        }
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            assertEquals(4L, checkpoint.rootDict().get("round"));
            String modes = TorchOracle.call("check_modes", file.toString(), file.toString(), TorchFidelityTest.manifest(checkpoint, file).toString());
            assertTrue(modes.startsWith("OK "), modes);
        }
    }

    @Test
    void aTensorGivenNewBytesKeepsTheStoragesBeforeItAndRewritesTheRest() throws Exception {
        Path original = TorchOracle.make("lightning", dir.resolve("lightning.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            List<ArchiveRecord> storages = storages(checkpoint.records());
            ArchiveRecord middle = storages.get(storages.size() / 2);
            TensorView tensor = Trees.tensors(checkpoint.root()).values().stream()
                    .filter(t -> middle.name().endsWith("/data/" + t.storage().key())).findFirst().orElseThrow();
            byte[] data = new byte[(int) (tensor.numel() * tensor.dtype().elementSize())];
            Arrays.fill(data, (byte) 7);
            checkpoint.replaceData(tensor, data);
            RewriteSummary summary = write(checkpoint, rewritten, RewriteMode.CLONE_UNCHANGED);
            // torch 1.13 wrote its storages sorted by key, torch 2.x in first-use order: either way the kept run ends before the change
            assertTrue(summary.clonedBytes() > 0 && summary.clonedBytes() <= middle.headerOffset(), summary + " vs " + middle);
            assertLoadsEverywhere(checkpoint, original, rewritten);
        }
    }

    @Test
    void deletingTheFirstTensorRewritesEverythingAsTorchWould() throws Exception {
        Path original = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            assertTrue(CorpusEdit.DELETE_FIRST.apply(checkpoint));
            RewriteSummary summary = write(checkpoint, rewritten, RewriteMode.CLONE_UNCHANGED);
            assertEquals(0, summary.clonedBytes(), summary.toString());
            assertEquals(0, TorchCheckpoint.deadBytes(rewritten));
            assertLoadsEverywhere(checkpoint, original, rewritten);
        }
    }

    @Test
    void compactingDropsTheDeadBytesAndWritesTorchsOrderAgain() throws Exception {
        Path original = TorchOracle.make("lightning", dir.resolve("lightning.ckpt"));
        Path file = Files.copy(original, dir.resolve("file.ckpt"));
        List<String> torchOrder = TorchOracle.zipRecords(original).stream().skip(1).map(TorchOracle.ZipRecord::name).toList();
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            renameStateDictKeys(checkpoint);
            assertTrue(write(checkpoint, file, RewriteMode.CLONE_UNCHANGED).deadBytes() > 0);
        }
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            RewriteSummary summary = write(checkpoint, file, RewriteMode.COMPACT);
            assertEquals(0, summary.clonedBytes());
            assertEquals(0, summary.deadBytes());
            assertEquals(0, TorchCheckpoint.deadBytes(file));
            assertEquals(torchOrder, TorchOracle.zipRecords(file).stream().skip(1).map(TorchOracle.ZipRecord::name).toList());
            assertLoadsEverywhere(checkpoint, original, file);
        }
    }

    @Test
    void aNoOpRewriteTakesOverTheWholeFileAndIsByteIdentical() throws Exception {
        Path original = TorchOracle.make("lightning", dir.resolve("lightning.ckpt"));
        Path rewritten = dir.resolve("rewritten.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(original)) {
            RewriteSummary summary = write(checkpoint, rewritten, RewriteMode.CLONE_UNCHANGED);
            assertEquals(0, summary.deadBytes());
            assertTrue(summary.writtenBytes() < 64 * 1024, "only the central directory is written: " + summary);
        }
        assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(rewritten));
    }

    /** Python's zipfile reads every record and its CRC; torch loads it in every loader mode the original loads in. */
    private static void assertLoadsEverywhere(TorchCheckpoint checkpoint, Path original, Path rewritten) {
        assertEquals("testzip\tNone", TorchOracle.call("zip_records", rewritten.toString()).lines().findFirst().orElseThrow());
        String modes = TorchOracle.call("check_modes", original.toString(), rewritten.toString(), TorchFidelityTest.manifest(checkpoint, rewritten).toString());
        assertTrue(modes.startsWith("OK "), modes);
        // torch 2.7+ finds each storage from the one before it: the layout promise a kept run must keep
        assertTrue(!PythonOracle.torch2() || modes.contains("mmap_calculated_offsets"), modes);
    }

    private static RewriteSummary write(TorchCheckpoint checkpoint, Path target, RewriteMode mode) throws IOException {
        return checkpoint.write(target, new PickleWriter(), () -> { }, WriteProgress.NONE, mode);
    }

    private static void renameStateDictKeys(TorchCheckpoint checkpoint) {
        Map<Object, Object> stateDict = Trees.dict(checkpoint.rootDict().get("state_dict"));
        Map<Object, Object> renamed = new java.util.LinkedHashMap<>();
        stateDict.forEach((key, value) -> renamed.put("model." + key, value));
        stateDict.clear();
        stateDict.putAll(renamed);
    }

    private static List<ArchiveRecord> storages(List<ArchiveRecord> records) {
        return records.stream().filter(r -> r.name().contains("/data/")).sorted(Comparator.comparingLong(ArchiveRecord::headerOffset)).toList();
    }

    private static ArchiveRecord record(List<ArchiveRecord> records, String name) {
        return records.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    /** Where the record after {@code record} starts: the end of {@code record}'s header, data and descriptor. */
    private static long nextHeader(List<ArchiveRecord> records, ArchiveRecord record) {
        return records.stream().mapToLong(ArchiveRecord::headerOffset).filter(offset -> offset > record.headerOffset()).min().orElseThrow()
                - record.headerOffset();
    }
}
