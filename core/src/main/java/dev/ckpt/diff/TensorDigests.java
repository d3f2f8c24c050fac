package dev.ckpt.diff;

import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * SHA-256 of tensors' elements (row-major, little-endian, whatever their strides and storage),
 * read one tensor at a time and only when asked: memory holds one tensor, never the checkpoint.
 */
final class TensorDigests {
    private final TorchCheckpoint archive;
    private final Map<Object, String> digests = new IdentityHashMap<>();

    TensorDigests(TorchCheckpoint archive) {
        this.archive = archive;
    }

    /** The tensor's dtype and shape, as the report prints them: {@code float32 [4, 3]}. */
    static String layout(TensorView tensor) {
        return tensor.dtype().pythonName() + " " + Arrays.toString(tensor.shape());
    }

    static boolean sameLayout(TensorView a, TensorView b) {
        return a.dtype() == b.dtype() && Arrays.equals(a.shape(), b.shape());
    }

    /** The digest of the tensor's elements; {@code where} names it in an error. */
    String digest(Object tensor, String where) {
        return digests.computeIfAbsent(tensor, value -> compute(TensorView.of(value), where));
    }

    private String compute(TensorView tensor, String where) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(archive.readData(tensor)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tensor " + where + " of " + archive.file() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
