package dev.ckpt.it;

import static dev.ckpt.it.TorchRewriteTest.assertOk;
import static dev.ckpt.it.Trees.path;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.ckpt.io.AtomicFile;
import dev.ckpt.torch.CheckpointFormatException;
import dev.ckpt.torch.DType;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TorchCheckpoint#write} replaces its target atomically ({@link AtomicFile}): a write that
 * fails leaves the target as it was and no temp file; a write over the checkpoint's own path
 * works. The results are loaded with the real torch.load (torch 1.13).
 */
class TorchAtomicWriteTest {
    @TempDir
    Path dir;

    @Test
    void aWriteThatFailsMidCopyLeavesTheExistingTargetByteIdenticalAndNoTempFile() throws Exception {
        Path source = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        TorchOracle.call("flip_byte", source.toString(), "multi/data/3", "0");
        Path target = TorchOracle.make("tiny", dir.resolve("target.ckpt"));
        byte[] before = Files.readAllBytes(target);
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(source)) {
            // a compacting write copies through the JVM and checks every CRC: the corrupt storage fails it half way
            assertThrows(CheckpointFormatException.class, () -> compact(checkpoint, target));
        }
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of(), tempFiles(dir));
    }

    @Test
    void aFailedWriteOverTheCheckpointsOwnPathLeavesItByteIdentical() throws Exception {
        Path file = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        TorchOracle.call("flip_byte", file.toString(), "multi/data/3", "0");
        byte[] before = Files.readAllBytes(file);
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            Trees.dict(checkpoint.rootDict().get("state_dict")).remove("steps");
            assertThrows(CheckpointFormatException.class, () -> compact(checkpoint, file));
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(), tempFiles(dir));
    }

    private static void compact(TorchCheckpoint checkpoint, Path target) throws java.io.IOException {
        checkpoint.write(target, new dev.ckpt.pickle.PickleWriter(), () -> { }, dev.ckpt.torch.WriteProgress.NONE, dev.ckpt.torch.RewriteMode.COMPACT);
    }

    @Test
    void writingOverTheCheckpointsOwnPathReplacesIt() throws Exception {
        Path file = TorchOracle.make("shared", dir.resolve("shared.ckpt"));
        Path original = Files.copy(file, dir.resolve("original.ckpt"));
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            Map<Object, Object> root = checkpoint.rootDict();
            Trees.dict(root.get("views")).remove("head");
            TensorView middle = Trees.tensor(root, "views", "middle");
            checkpoint.replaceData(middle, TorchRewriteTest.permuteRows(checkpoint.readData(middle), middle, new int[] {6, 5, 4, 3, 2, 1, 0}));
            root.put("extra", checkpoint.newTensor(DType.INT8, new long[] {2}, new byte[] {-3, 4}).value());
            checkpoint.write(file);
            assertOk(TorchOracle.checkTensors(file, TensorManifest.of(checkpoint)));
        }
        assertEquals(List.of(), tempFiles(dir));
        assertOk(TorchOracle.compare(original, file, Changes.none()
                .deleted(path("views", "head"))
                .replaced(path("views", "middle"), "orig['views']['middle'].flip(0)")
                .added(path("extra"), "torch.tensor([-3, 4], dtype=torch.int8)")));
    }

    @Test
    void aWriteWhoseFinalRenameFailsLeavesNoTempFile() throws Exception {
        Path source = TorchOracle.make("tiny", dir.resolve("tiny.ckpt"));
        Path target = Files.createDirectory(dir.resolve("target.ckpt"));
        Files.writeString(target.resolve("inside"), "keep me");
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(source)) {
            assertThrows(IOException.class, () -> checkpoint.write(target));
        }
        assertEquals("keep me", Files.readString(target.resolve("inside")));
        assertEquals(List.of(), tempFiles(dir));
    }

    /** Skipped when run as root, for whom a read-only directory is writable. */
    @Test
    void aWriteIntoAReadOnlyDirectoryFailsAndLeavesTheTargetByteIdentical() throws Exception {
        Path source = TorchOracle.make("multi", dir.resolve("multi.ckpt"));
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Path target = Files.copy(TorchOracle.make("tiny", dir.resolve("tiny.ckpt")), readOnly.resolve("target.ckpt"));
        byte[] before = Files.readAllBytes(target);
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(source)) {
            assumeFalse(Files.isWritable(readOnly), "this user (root?) may write into a read-only directory");
            assertThrows(AccessDeniedException.class, () -> checkpoint.write(target));
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertArrayEquals(before, Files.readAllBytes(target));
        assertEquals(List.of(), tempFiles(readOnly));
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws Exception {
        Path source = TorchOracle.make("tiny", dir.resolve("tiny.ckpt"));
        Path target = Files.copy(source, dir.resolve("target.ckpt"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(source)) {
            checkpoint.write(target);
        }
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    /** Files left by {@link AtomicFile} in a directory ({@code *.ckpt-tmp}). */
    static List<Path> tempFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(AtomicFile.TEMP_SUFFIX)).toList();
        }
    }
}
