package dev.ckpt.torch;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The globals torch's weights-only unpickler accepts, per torch version, as data
 * ({@code weights-only-globals.tsv}, from {@code torch._weights_only_unpickler._get_allowed_globals()}
 * of torch 1.13 and 2.13). torch 2.6 and later load with {@code weights_only=True} by default, so
 * a file that loaded that way must keep loading: {@link TorchCheckpoint#weightsOnlyRegressions}
 * names what a change would add that these loaders refuse.
 */
public final class WeightsOnlyGlobals {
    /** The torch versions the table has a column for. */
    public static final List<String> TORCH_VERSIONS = List.of("1.13", "2.13");
    private static final Map<String, Set<String>> ALLOWED = load();

    private WeightsOnlyGlobals() {
    }

    /** The globals (as {@code module.name}) torch {@code version}'s weights-only loader accepts. */
    public static Set<String> allowed(String version) {
        Set<String> allowed = ALLOWED.get(version);
        if (allowed == null) {
            throw new IllegalArgumentException("no weights-only table for torch " + version + "; known: " + TORCH_VERSIONS);
        }
        return allowed;
    }

    /** Those of {@code globals} that torch {@code version}'s weights-only loader refuses, sorted. */
    public static Set<String> refusedBy(String version, Collection<String> globals) {
        Set<String> refused = new TreeSet<>(globals);
        refused.removeAll(allowed(version));
        return refused;
    }

    private static Map<String, Set<String>> load() {
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        TORCH_VERSIONS.forEach(v -> allowed.put(v, new TreeSet<>()));
        for (String[] fields : DataTable.rows("weights-only-globals.tsv")) {
            for (int i = 0; i < TORCH_VERSIONS.size(); i++) {
                if (fields[i + 1].equals("yes")) {
                    allowed.get(TORCH_VERSIONS.get(i)).add(fields[0]);
                }
            }
        }
        allowed.replaceAll((v, set) -> Set.copyOf(set));
        return Map.copyOf(allowed);
    }
}
