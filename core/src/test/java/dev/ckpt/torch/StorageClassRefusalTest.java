package dev.ckpt.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyPersistentId;
import dev.ckpt.pickle.PyTuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree that names a storage class torch does not have (torch.ComplexHalfStorage: complex32
 * tensors are saved over an untyped storage) is refused before anything is written, naming the
 * persistent id; the target keeps its bytes.
 */
class StorageClassRefusalTest {
    @Test
    void aStorageClassTorchLacksIsRefusedBeforeWriting(@TempDir Path dir) throws Exception {
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("epoch", 1L);
        Path file = dir.resolve("model.ckpt");
        TorchCheckpoint.create(file, root);
        byte[] before = Files.readAllBytes(file);

        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            checkpoint.rootDict().put("bad", new PyPersistentId(PyTuple.of("storage", PyGlobal.of("torch", "ComplexHalfStorage"), "0", "cpu", 2L)));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> checkpoint.write(file));
            assertTrue(e.getMessage().contains("ComplexHalfStorage") && e.getMessage().contains("torch.load cannot load"), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    void complex32IsCreatedOverAnUntypedStorageAsTorch2SavesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.ckpt");
        TorchCheckpoint.create(file, new LinkedHashMap<>());
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(file)) {
            TensorView tensor = checkpoint.newTensor(DType.COMPLEX32, new long[] {2}, new byte[8]);
            assertTrue(tensor.storage().dtype() == null && tensor.storage().numel() == 8, tensor.toString());
            assertTrue(((PyGlobal) tensor.value().callable()).is("torch._utils", "_rebuild_tensor_v3"));
            assertTrue(tensor.dtype() == DType.COMPLEX32);
        }
    }
}
