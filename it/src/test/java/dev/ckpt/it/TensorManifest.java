package dev.ckpt.it;

import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the Java side says a checkpoint's tensors are: for each tensor in the tree (see
 * {@link Trees#tensors}), its dtype, shape, requires_grad, parameter class and the sha256 of the
 * bytes {@link TorchCheckpoint#readData} gives. checks.check_tensors compares it with torch.load.
 */
final class TensorManifest {
    private final String jsonLines;
    private final int size;

    private TensorManifest(String jsonLines, int size) {
        this.jsonLines = jsonLines;
        this.size = size;
    }

    static TensorManifest of(TorchCheckpoint checkpoint) throws IOException {
        Map<List<Object>, TensorView> tensors = Trees.tensors(checkpoint.root());
        StringBuilder out = new StringBuilder();
        for (Map.Entry<List<Object>, TensorView> entry : tensors.entrySet()) {
            TensorView t = entry.getValue();
            out.append("{\"path\": ").append(TorchOracle.Json.path(entry.getKey()))
                    .append(", \"dtype\": ").append(TorchOracle.Json.string(t.dtype().pythonName()))
                    .append(", \"shape\": [").append(Arrays.stream(t.shape()).mapToObj(Long::toString).collect(Collectors.joining(", ")))
                    .append("], \"sha256\": \"").append(sha256(checkpoint.readData(t)))
                    .append("\", \"requires_grad\": ").append(t.requiresGrad())
                    .append(", \"parameter\": ").append(t.isParameter())
                    .append("}\n");
        }
        return new TensorManifest(out.toString(), tensors.size());
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int size() {
        return size;
    }

    String toJsonLines() {
        return jsonLines;
    }
}
