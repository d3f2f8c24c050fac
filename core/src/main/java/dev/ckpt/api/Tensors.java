package dev.ckpt.api;

import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;

/** Moves {@link Tensor} values between a migration and the archive's tensors. */
final class Tensors {
    private Tensors() {
    }

    static Tensor read(TorchCheckpoint archive, TensorView view) throws IOException {
        return Tensor.wrap(view.dtype(), view.shape(), archive.readData(view));
    }

    /** The tree value for {@code tensor}, taking the place of {@code old} (null for a new entry). */
    static Object value(TorchCheckpoint archive, Object old, Tensor tensor) {
        return archive.replacement(old, tensor.dtype(), tensor.shape(), tensor.bytes());
    }
}
