package dev.ckpt.it;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test changed in a checkpoint, for checks.compare: everything else must come out of
 * torch.load equal to the original. Paths are built with {@link Trees#path}; an expression is
 * Python over {@code orig} (the original checkpoint) and {@code torch}, or null when only the
 * manifest checks the new tensor.
 */
final class Changes {
    private final List<String> deleted = new ArrayList<>();
    private final List<String> renamed = new ArrayList<>();
    private final List<String> replaced = new ArrayList<>();
    private final List<String> added = new ArrayList<>();
    private final List<String> shared = new ArrayList<>();
    private final List<String> notShared = new ArrayList<>();

    static Changes none() {
        return new Changes();
    }

    Changes deleted(List<Object> path) {
        deleted.add(TorchOracle.Json.path(path));
        return this;
    }

    Changes renamed(List<Object> to, List<Object> from) {
        renamed.add(pair(to, from));
        return this;
    }

    Changes replaced(List<Object> path, String expression) {
        replaced.add(withExpression(path, expression));
        return this;
    }

    Changes added(List<Object> path, String expression) {
        added.add(withExpression(path, expression));
        return this;
    }

    /** These two tensors must share one storage in the rewritten checkpoint. */
    Changes shared(List<Object> a, List<Object> b) {
        shared.add(pair(a, b));
        return this;
    }

    Changes notShared(List<Object> a, List<Object> b) {
        notShared.add(pair(a, b));
        return this;
    }

    String toJson() {
        return "{\"deleted\": " + deleted + ", \"renamed\": " + renamed + ", \"replaced\": " + replaced
                + ", \"added\": " + added + ", \"shared\": " + shared + ", \"not_shared\": " + notShared + "}";
    }

    private static String pair(List<Object> a, List<Object> b) {
        return "[" + TorchOracle.Json.path(a) + ", " + TorchOracle.Json.path(b) + "]";
    }

    private static String withExpression(List<Object> path, String expression) {
        return "[" + TorchOracle.Json.path(path) + ", " + (expression == null ? "null" : TorchOracle.Json.string(expression)) + "]";
    }
}
