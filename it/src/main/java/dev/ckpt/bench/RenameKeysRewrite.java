package dev.ckpt.bench;

import dev.ckpt.pickle.PyObject;
import dev.ckpt.pickle.PickleWriter;
import dev.ckpt.torch.RewriteMode;
import dev.ckpt.torch.RewriteSummary;
import dev.ckpt.torch.TorchCheckpoint;
import dev.ckpt.torch.WriteProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bench driver for {@code it/bench/rewrite-bench.sh}: {@code RenameKeysRewrite IN OUT} opens a
 * torch checkpoint, renames every {@code state_dict} key starting with {@code model.encoder.} to
 * {@code model.backbone.} (the {@code _metadata} prefixes too, and optimizer parameter names
 * where they are strings), writes OUT (taking the unchanged tensor data over as it is, or every record anew with
 * {@code --compact}) and prints the elapsed milliseconds and what the write took over and wrote. The same change as
 * {@code it/bench/python_reference_rewrite.py}; the script runs it with {@code -Xmx64m}.
 */
public final class RenameKeysRewrite {
    static final String FROM = "model.encoder.";
    static final String TO = "model.backbone.";

    private RenameKeysRewrite() {
    }

    public static void main(String[] args) throws IOException {
        boolean compact = args.length == 3 && args[2].equals("--compact");
        if (args.length != 2 && !compact) {
            System.err.println("usage: RenameKeysRewrite IN OUT [--compact]");
            System.exit(2);
        }
        long start = System.nanoTime();
        int renamed;
        long opened;
        RewriteSummary summary;
        try (TorchCheckpoint checkpoint = TorchCheckpoint.open(Path.of(args[0]))) {
            opened = System.nanoTime();
            Map<Object, Object> root = checkpoint.rootDict();
            renamed = renameKeys(entries(root.get("state_dict")));
            if (root.get("state_dict") instanceof PyObject sd && sd.attributes() != null) {
                renameKeys(entries(sd.attributes().get("_metadata")));
            }
            if (root.get("optimizer_states") instanceof List<?> optimizers) {
                for (Object optimizer : optimizers) {
                    renameOptimizerParams(optimizer);
                }
            }
            summary = checkpoint.write(Path.of(args[1]), new PickleWriter(), () -> { }, WriteProgress.NONE,
                    compact ? RewriteMode.COMPACT : RewriteMode.CLONE_UNCHANGED);
        }
        long end = System.nanoTime();
        System.out.printf("renamed %d state_dict keys; open %d ms, rename+write %d ms; elapsed %d ms%n",
                renamed, (opened - start) / 1_000_000, (end - opened) / 1_000_000, (end - start) / 1_000_000);
        System.out.printf("size %d bytes; taken over %d bytes (%s); written %d bytes; dead %d bytes%n", summary.size(),
                summary.clonedBytes(), summary.copyMethod() == null ? "none" : summary.copyMethod(), summary.writtenBytes(), summary.deadBytes());
    }

    /** The entries of a dict or of an OrderedDict (a PyObject), or null. */
    @SuppressWarnings("unchecked")
    static Map<Object, Object> entries(Object dict) {
        if (dict instanceof PyObject object) {
            return object.dictItems();
        }
        return dict instanceof Map<?, ?> map ? (Map<Object, Object>) map : null;
    }

    /** Renames the keys in place, keeping their order; returns how many changed. */
    static int renameKeys(Map<Object, Object> map) {
        if (map == null) {
            return 0;
        }
        Map<Object, Object> copy = new LinkedHashMap<>(map);
        map.clear();
        int n = 0;
        for (Map.Entry<Object, Object> e : copy.entrySet()) {
            Object key = rename(e.getKey());
            n += key == e.getKey() ? 0 : 1;
            map.put(key, e.getValue());
        }
        return n;
    }

    static Object rename(Object key) {
        return key instanceof String s && s.startsWith(FROM) ? TO + s.substring(FROM.length()) : key;
    }

    /** torch's Adam state_dict names parameters by index; named optimizers use strings. */
    @SuppressWarnings("unchecked")
    static void renameOptimizerParams(Object optimizer) {
        Map<Object, Object> opt = entries(optimizer);
        if (opt == null) {
            return;
        }
        renameKeys(entries(opt.get("state")));
        if (opt.get("param_groups") instanceof List<?> groups) {
            for (Object group : groups) {
                Map<Object, Object> g = entries(group);
                if (g != null && g.get("params") instanceof List<?> params) {
                    ((List<Object>) params).replaceAll(RenameKeysRewrite::rename);
                }
            }
        }
    }
}
