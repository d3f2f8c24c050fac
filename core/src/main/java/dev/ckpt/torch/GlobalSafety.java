package dev.ckpt.torch;

import java.util.HashMap;
import java.util.Map;

/**
 * What unpickling a global can do, as data ({@code global-safety.tsv}): {@link Kind#SAFE} (torch's
 * weights-only allow-lists, numpy's and OmegaConf's reconstructors, containers, plain types),
 * {@link Kind#DANGEROUS} (whatever can run code, touch files or the network when a pickle names it:
 * {@code os}, {@code subprocess}, {@code builtins.eval}, {@code pickle}, {@code torch.load}, ...) and
 * {@link Kind#USER} (everything else: the classes and functions of the user's own code, ordinary
 * data to ckpt, reported by name and never refused). A row names a module (and so every
 * submodule and attribute) or one attribute; the longest matching row wins.
 */
public final class GlobalSafety {
    public enum Kind { SAFE, USER, DANGEROUS }

    /** One row of the table. */
    private record Row(Kind kind, String why) {
    }

    private static final Map<String, Row> ROWS = load();

    private GlobalSafety() {
    }

    /** The class of a global named {@code module.name}. */
    public static Kind of(String path) {
        if (WeightsOnlyGlobals.TORCH_VERSIONS.stream().anyMatch(v -> WeightsOnlyGlobals.allowed(v).contains(path))) {
            return Kind.SAFE;
        }
        Row row = row(path);
        return row == null ? Kind.USER : row.kind();
    }

    /** Why a dangerous global is dangerous (the table's words), or null for any other. */
    public static String why(String path) {
        Row row = of(path) == Kind.DANGEROUS ? row(path) : null;
        return row == null ? null : row.why();
    }

    public static boolean isDangerous(String path) {
        return of(path) == Kind.DANGEROUS;
    }

    /** The dangerous ones among {@code globals}, sorted. */
    public static java.util.SortedSet<String> dangerousAmong(java.util.Collection<String> globals) {
        java.util.SortedSet<String> dangerous = new java.util.TreeSet<>(globals);
        dangerous.removeIf(global -> !isDangerous(global));
        return dangerous;
    }

    /** A dangerous global with why, as messages and inspect show it: {@code posix.system (runs commands, ...)}. */
    public static String described(String path) {
        return path + " (" + why(path) + ")";
    }

    /** The most specific row naming the global or a module it is in. */
    private static Row row(String path) {
        for (String prefix = path; !prefix.isEmpty(); prefix = parent(prefix)) {
            Row row = ROWS.get(prefix);
            if (row != null) {
                return row;
            }
        }
        return null;
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }

    private static Map<String, Row> load() {
        Map<String, Row> rows = new HashMap<>();
        for (String[] fields : DataTable.rows("global-safety.tsv")) {
            rows.put(fields[0], new Row(Kind.valueOf(fields[1].toUpperCase(java.util.Locale.ROOT)), fields[2]));
        }
        return Map.copyOf(rows);
    }
}
