package dev.ckpt.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.torch.CheckpointFormatException;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Broken checkpoints fail with a {@link CheckpointFormatException} naming the file and, where one
 * is at fault, the record. The broken files start as real torch.save output (torch 1.13) and are
 * damaged with Python's zipfile or by cutting bytes off.
 */
class TorchCheckpointErrorsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {12, 4000})
    void aTextFileIsRejectedAsNotAZip(int length) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.ckpt"), "not a checkpoint\n".repeat(300).substring(0, length));
        CheckpointFormatException e = assertOpenFails(text);
        assertNull(e.record());
        assertContains(e, "not a zip");
    }

    @Test
    void aCheckpointCutInHalfIsRejectedAsTruncated() throws Exception {
        Path file = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointFormatException e = assertOpenFails(file);
        assertNull(e.record());
        assertContains(e, "truncated");
    }

    @Test
    void aCheckpointMissingItsLast10BytesIsRejectedAsTruncated() throws Exception {
        Path file = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
        CheckpointFormatException e = assertOpenFails(file);
        assertNull(e.record());
        assertContains(e, "truncated");
    }

    @Test
    void aZipWithoutDataPklIsRejectedAsNotATorchCheckpoint() throws Exception {
        Path file = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path broken = dir.resolve("broken.ckpt");
        TorchOracle.call("copy_zip", file.toString(), broken.toString(), "multi/data.pkl");
        CheckpointFormatException e = assertOpenFails(broken);
        assertContains(e, "data.pkl");
        assertContains(e, "not a torch.save checkpoint");
    }

    @Test
    void aMissingStorageRecordIsNamedWhenItsTensorIsRead() throws Exception {
        Path file = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path broken = dir.resolve("broken.ckpt");
        TorchOracle.call("copy_zip", file.toString(), broken.toString(), "multi/data/2");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(broken)) {
            TensorView tensor = storageKeyed(checkpoint, "2");
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> checkpoint.readData(tensor));
            assertEquals(broken, e.file());
            assertEquals("multi/data/2", e.record());
            assertContains(e, "missing");
        }
    }

    @Test
    void aMissingStorageRecordFailsTheWriteBeforeATargetExists() throws Exception {
        Path file = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path broken = dir.resolve("broken.ckpt");
        TorchOracle.call("copy_zip", file.toString(), broken.toString(), "multi/data/2");
        Path target = dir.resolve("out.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(broken)) {
            // the default write takes unchanged tensor bytes over without reading them; compacting reads and checks every one
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> checkpoint.write(target,
                    new dev.ckpt.pickle.PickleWriter(), () -> { }, dev.ckpt.torch.WriteProgress.NONE, dev.ckpt.torch.RewriteMode.COMPACT));
            assertEquals(broken, e.file());
            assertEquals("multi/data/2", e.record());
        }
        assertFalse(Files.exists(target));
        assertEquals(List.of(), TorchAtomicWriteTest.tempFiles(dir));
    }

    @Test
    void aStorageShorterThanItsTensorNeedsIsNamedWhenTheTensorIsRead() throws Exception {
        Path file = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path broken = dir.resolve("broken.ckpt");
        TorchOracle.call("copy_zip", file.toString(), broken.toString(), "", "multi/data/0", "4");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(broken)) {
            TensorView tensor = storageKeyed(checkpoint, "0");
            long needed = tensor.numel() * 4;
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> checkpoint.readData(tensor));
            assertEquals(broken, e.file());
            assertEquals("multi/data/0", e.record());
            assertContains(e, "holds " + (needed - 4) + " bytes");
            assertContains(e, "needs " + needed);
        }
    }

    @Test
    void aStorageShorterThanItsTensorNeedsFailsTheWrite() throws Exception {
        Path file = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path broken = dir.resolve("broken.ckpt");
        TorchOracle.call("copy_zip", file.toString(), broken.toString(), "", "multi/data/0", "4");
        Path target = dir.resolve("out.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(broken)) {
            // the default write takes unchanged tensor bytes over without reading them; compacting reads and checks every one
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> checkpoint.write(target,
                    new dev.ckpt.pickle.PickleWriter(), () -> { }, dev.ckpt.torch.WriteProgress.NONE, dev.ckpt.torch.RewriteMode.COMPACT));
            assertEquals("multi/data/0", e.record());
        }
        assertFalse(Files.exists(target));
    }

    @Test
    void aCrcMismatchInAStorageFailsACompactingWriteNamingTheRecordAndCreatesNoTarget() throws Exception {
        Path file = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        TorchOracle.call("flip_byte", file.toString(), "multi/data/3", "1");
        Path target = dir.resolve("out.ckpt");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            // the default write takes unchanged tensor bytes over without reading them; compacting reads and checks every one
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> checkpoint.write(target,
                    new dev.ckpt.pickle.PickleWriter(), () -> { }, dev.ckpt.torch.WriteProgress.NONE, dev.ckpt.torch.RewriteMode.COMPACT));
            assertEquals(file, e.file());
            assertEquals("multi/data/3", e.record());
            assertContains(e, "CRC mismatch");
        }
        assertFalse(Files.exists(target));
        assertEquals(List.of(), TorchAtomicWriteTest.tempFiles(dir));
    }

    @Test
    void aCrcMismatchInDataPklFailsOpen() throws Exception {
        Path file = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        TorchOracle.call("flip_byte", file.toString(), "multi/data.pkl", "40");
        CheckpointFormatException e = assertOpenFails(file);
        assertEquals("multi/data.pkl", e.record());
        assertContains(e, "CRC mismatch");
    }

    @Test
    void rootDictOfACheckpointOfAListNamesTheFileAndDataPkl() throws Exception {
        Path file = TorchOracle.make("list_root", dir.resolve("list_root.ckpt"));
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            assertEquals(List.of(1L, 2L), checkpoint.root());
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, checkpoint::rootDict);
            assertEquals(file, e.file());
            assertEquals("list_root/data.pkl", e.record());
            assertContains(e, "root object is list, not a dict");
        }
    }

    @Test
    void aMissingFileIsReportedByItsPath() {
        Path missing = dir.resolve("absent.ckpt");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TorchCheckpoint.open(missing));
        assertEquals(missing.toString(), e.getFile());
    }

    private static CheckpointFormatException assertOpenFails(Path file) {
        Throwable thrown = assertThrows(Throwable.class, () -> TorchCheckpoint.open(file).close());
        CheckpointFormatException e = assertInstanceOf(CheckpointFormatException.class, thrown, () -> "threw " + thrown);
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        return e;
    }

    private static void assertContains(Exception e, String text) {
        assertTrue(e.getMessage().contains(text), () -> "message should contain '" + text + "': " + e.getMessage());
    }

    /** The tensor of the multi checkpoint whose storage has the key (torch numbers them in pickling order). */
    private static TensorView storageKeyed(TorchCheckpoint checkpoint, String key) {
        return Trees.tensors(checkpoint.root()).values().stream().filter(t -> t.storage().key().equals(key)).findFirst().orElseThrow();
    }
}
