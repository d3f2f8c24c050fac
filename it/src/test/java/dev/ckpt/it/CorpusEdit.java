package dev.ckpt.it;

import dev.ckpt.torch.DType;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The edits the fidelity corpus is put through, each on whatever tree a file holds. An edit that
 * finds nothing to act on (no tensor, no dict) changes nothing and says so, and the test then
 * checks the no-op rewrite instead.
 */
enum CorpusEdit {
    NONE {
        @Override
        boolean apply(TorchCheckpoint checkpoint) {
            return true;
        }
    },
    /** Renames the first tensor that sits in a dict under a string key. */
    RENAME {
        @Override
        boolean apply(TorchCheckpoint checkpoint) {
            for (List<Object> path : Trees.tensors(checkpoint.root()).keySet()) {
                if (!path.isEmpty() && path.get(path.size() - 1) instanceof String name) {
                    Map<Object, Object> parent = Trees.dict(parent(checkpoint.root(), path));
                    parent.put(name + ".renamed", parent.remove(name));
                    return true;
                }
            }
            return false;
        }
    },
    /** Gives the first tensor new bytes (a seeded pattern; 0 or 1 for bool) in a storage of its own. */
    REPLACE {
        @Override
        boolean apply(TorchCheckpoint checkpoint) throws IOException {
            for (TensorView tensor : Trees.tensors(checkpoint.root()).values()) {
                byte[] data = new byte[(int) (tensor.numel() * tensor.dtype().elementSize())];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (tensor.dtype() == DType.BOOL ? i % 2 : i * 31 + 7);
                }
                checkpoint.replaceData(tensor, data);
                return true;
            }
            return false;
        }
    },
    /** Deletes the first tensor (usually storage key 0, so every other key moves). */
    DELETE_FIRST {
        @Override
        boolean apply(TorchCheckpoint checkpoint) {
            for (List<Object> path : Trees.tensors(checkpoint.root()).keySet()) {
                if (path.isEmpty()) {
                    return false;
                }
                Object parent = parent(checkpoint.root(), path);
                Object last = path.get(path.size() - 1);
                if (parent instanceof dev.ckpt.pickle.PyTuple) {
                    continue;  // tuples are immutable, as in Python
                }
                if (parent instanceof List<?> list) {
                    list.remove((int) (long) (Long) last);
                } else {
                    Trees.dict(parent).remove(last);
                }
                return true;
            }
            return false;
        }
    },
    /** Adds a float32 tensor to the root dict (or list), or to the first dict the root holds. */
    ADD {
        @Override
        boolean apply(TorchCheckpoint checkpoint) {
            TensorView added = checkpoint.newTensor(DType.FLOAT32, new long[] {2, 2}, TorchCheckpoint.fromFloats(1.5f, -2f, 0f, 3.25f));
            Object root = checkpoint.root();
            if (root instanceof List<?> list && !(root instanceof dev.ckpt.pickle.PyTuple)) {
                @SuppressWarnings("unchecked")
                List<Object> items = (List<Object>) list;
                items.add(added.value());
                return true;
            }
            for (List<Object> path : Trees.tensors(root).keySet()) {
                if (!path.isEmpty()) {
                    Object parent = parent(root, path);
                    if (!(parent instanceof List<?>)) {
                        Trees.dict(parent).put("ckpt_added", added.value());
                        return true;
                    }
                }
            }
            try {
                Trees.dict(root).put("ckpt_added", added.value());
                return true;
            } catch (IllegalArgumentException notADict) {
                return false;
            }
        }
    },
    /** Reverses the rows of a tensor of two or more dimensions, a tied one where there is one (the tie is broken: see the README). */
    PERMUTE_ROWS {
        @Override
        boolean apply(TorchCheckpoint checkpoint) throws IOException {
            List<TensorView> matrices = new ArrayList<>();
            Map<String, Integer> uses = new java.util.HashMap<>();
            for (TensorView tensor : Trees.tensors(checkpoint.root()).values()) {
                uses.merge(tensor.storage().key(), 1, Integer::sum);
                if (tensor.shape().length >= 2 && tensor.shape()[0] > 1) {
                    matrices.add(tensor);
                }
            }
            TensorView chosen = matrices.stream().filter(t -> uses.get(t.storage().key()) > 1).findFirst()
                    .orElse(matrices.isEmpty() ? null : matrices.get(0));
            if (chosen == null) {
                return false;
            }
            byte[] data = checkpoint.readData(chosen);
            int rows = (int) chosen.shape()[0];
            int rowBytes = data.length / rows;
            byte[] reversed = new byte[data.length];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(data, r * rowBytes, reversed, (rows - 1 - r) * rowBytes, rowBytes);
            }
            checkpoint.replaceData(chosen, reversed);
            return true;
        }
    };

    /** Applies the edit; false when the tree has nothing it can act on. */
    abstract boolean apply(TorchCheckpoint checkpoint) throws IOException;

    private static Object parent(Object root, List<Object> path) {
        return path.size() == 1 ? root : Trees.get(root, path.subList(0, path.size() - 1));
    }
}
