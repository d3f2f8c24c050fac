package dev.ckpt.it.roots;

import dev.ckpt.api.Checkpoint;
import dev.ckpt.api.Migration;
import dev.ckpt.api.MigrationInfo;
import dev.ckpt.api.Reversible;
import dev.ckpt.api.Tensor;
import dev.ckpt.pickle.PyObject;
import dev.ckpt.torch.TensorView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Reverses the bytes of the first tensor of whatever the checkpoint's root is (a dict, an
 * OrderedDict state dict, a bare tensor, a list or tuple, a pickled module's state); its own
 * inverse, so its rollback is the same operation.
 */
@MigrationInfo(version = "1.1.0")
public class M1700000100_reverse_first_tensor extends Migration implements Reversible {
    @Override
    public void migrate(Checkpoint checkpoint) {
        TensorView tensor = firstTensor(checkpoint.tree());
        if (tensor == null) {
            throw new IllegalStateException("no tensor in this checkpoint");
        }
        try {
            Tensor values = checkpoint.read(tensor);
            byte[] data = values.data();
            byte[] reversed = new byte[data.length];
            for (int i = 0; i < data.length; i++) {
                reversed[i] = data[data.length - 1 - i];
            }
            checkpoint.replace(tensor, Tensor.of(values.dtype(), values.shape(), reversed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void rollback(Checkpoint checkpoint) {
        migrate(checkpoint);
    }

    /** Breadth first through dicts, lists and objects' dict items and state. */
    static TensorView firstTensor(Object root) {
        Deque<Object> pending = new ArrayDeque<>();
        pending.add(root);
        for (int seen = 0; !pending.isEmpty() && seen < 100_000; seen++) {
            Object value = pending.poll();
            if (TensorView.isTensor(value)) {
                return TensorView.of(value);
            }
            if (value instanceof Map<?, ?> map) {
                addAll(pending, map.values());
            } else if (value instanceof List<?> list) {
                addAll(pending, list);
            } else if (value instanceof PyObject object) {
                if (object.dictItems() != null) {
                    addAll(pending, object.dictItems().values());
                }
                if (object.hasState() && object.state() != null) {
                    pending.add(object.state());
                }
            }
        }
        return null;
    }

    private static void addAll(Deque<Object> pending, java.util.Collection<?> values) {
        for (Object value : values) {
            if (value != null) {
                pending.add(value);
            }
        }
    }
}
