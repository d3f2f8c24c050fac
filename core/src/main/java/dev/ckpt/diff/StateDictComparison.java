package dev.ckpt.diff;

import dev.ckpt.torch.TensorView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Two state dicts (dicts of tensors, and of modules' extra states, compared as a dict by
 * {@link TreeComparison}) at the same path. A key both have is compared by dtype, shape
 * and bytes. Of the keys one lost and the other gained: a prefix rename is a prefix change shared
 * by at least two tensors of the same dtypes and shapes that moves every old key under the prefix
 * (bytes equal or not, as {@code StateDict.renamePrefix} would move them), the ones with equal bytes
 * first, then the ones shared by more tensors; a prefix with several equally good targets is not
 * renamed but left undecided. Then a single rename
 * needs equal bytes and a unique partner. The rest are removed or added.
 */
final class StateDictComparison {
    private static final String EXTRA_STATE = "_extra_state";

    private final String at;
    /** Every old key, extra states too: a prefix rename must not clash with any. */
    private final List<String> oldKeys;
    private final Map<String, TensorView> before;
    private final Map<String, TensorView> after;
    private final TensorDigests oldDigests;
    private final TensorDigests newDigests;
    private final List<Difference> differences;
    private final List<String> undecided;
    private final List<PrefixCandidate> prefixRenames = new ArrayList<>();

    StateDictComparison(String at, Map<Object, Object> before, Map<Object, Object> after, TensorDigests oldDigests,
            TensorDigests newDigests, List<Difference> differences, List<String> undecided) {
        this.at = at;
        this.oldKeys = before.keySet().stream().map(String.class::cast).toList();
        this.before = tensors(before);
        this.after = tensors(after);
        this.oldDigests = oldDigests;
        this.newDigests = newDigests;
        this.differences = differences;
        this.undecided = undecided;
    }

    /** True for a dict of tensors under string keys (some may be modules' extra states), at least one. */
    static boolean isStateDict(Map<Object, Object> entries) {
        return entries.values().stream().anyMatch(TensorView::isTensor) && entries.entrySet().stream()
                .allMatch(e -> e.getKey() instanceof String key && (TensorView.isTensor(e.getValue()) || isExtraState(key)));
    }

    /** A module's {@code get_extra_state()} in its state dict: any value, under {@code PREFIX_extra_state}. */
    private static boolean isExtraState(String key) {
        return key.endsWith(EXTRA_STATE);
    }

    /** The entries that are not tensors: the modules' extra states. */
    static Map<Object, Object> extraStates(Map<Object, Object> entries) {
        Map<Object, Object> extras = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            if (!TensorView.isTensor(value)) {
                extras.put(key, value);
            }
        });
        return extras;
    }

    /** The old extra states under the keys the found prefix renames give them (renamePrefix moves them too). */
    Map<Object, Object> renamedExtraStates(Map<Object, Object> entries) {
        Map<Object, Object> renamed = new LinkedHashMap<>();
        extraStates(entries).forEach((key, value) -> renamed.put(renamedByPrefixes((String) key), value));
        return renamed;
    }

    private String renamedByPrefixes(String key) {
        return prefixRenames.stream().filter(rename -> key.startsWith(rename.from())).findFirst()
                .map(rename -> renamed(key, rename.from(), rename.to())).orElse(key);
    }

    void compare() {
        Set<String> lost = new LinkedHashSet<>();
        for (String key : before.keySet()) {
            if (after.containsKey(key)) {
                common(key);
            } else {
                lost.add(key);
            }
        }
        Set<String> gained = new LinkedHashSet<>(after.keySet());
        gained.removeAll(before.keySet());
        prefixRenames(lost, gained);
        byteRenames(lost, gained);
        for (String key : lost) {
            TensorView removed = before.get(key);
            differences.add(new Difference(Difference.Kind.TENSOR_REMOVED, Difference.Scope.STATE_DICT, at, key, null,
                    TensorDigests.layout(removed), null, null, 0, new Difference.Layout(removed.dtype(), removed.shape())));
        }
        for (String key : gained) {
            differences.add(difference(Difference.Kind.TENSOR_ADDED, key, null, null, TensorDigests.layout(after.get(key)), null, 0));
        }
    }

    private void common(String key) {
        TensorView a = before.get(key);
        TensorView b = after.get(key);
        if (!TensorDigests.sameLayout(a, b)) {
            differences.add(difference(Difference.Kind.TENSOR_CHANGED, key, null, TensorDigests.layout(a), TensorDigests.layout(b), null, 0));
        } else if (!bytesEqual(key, key)) {
            differences.add(difference(Difference.Kind.TENSOR_VALUES, key, null, TensorDigests.layout(a), null, null, 0));
        }
    }

    /** A prefix rename that would move every old key under {@code from}: ranked by equal bytes first, then by support. */
    private record PrefixCandidate(String from, String to, int support, boolean bytesEqual) {
        static final Comparator<PrefixCandidate> BEST_FIRST = Comparator.comparing(PrefixCandidate::bytesEqual)
                .thenComparingInt(PrefixCandidate::support).reversed();

        boolean rivals(PrefixCandidate other) {
            return other != this && other.from.equals(from) && BEST_FIRST.compare(this, other) == 0;
        }
    }

    private void prefixRenames(Set<String> lost, Set<String> gained) {
        List<PrefixCandidate> ranked = prefixCandidates(lost, gained);
        Set<String> tied = new LinkedHashSet<>();
        for (PrefixCandidate candidate : ranked) {
            if (!whole(candidate.from(), candidate.to(), lost, gained) || tied.contains(candidate.from())) {
                continue;   // an earlier rename took its keys, or its targets are tied
            }
            List<String> rivals = ranked.stream().filter(candidate::rivals).filter(other -> whole(other.from(), other.to(), lost, gained))
                    .map(PrefixCandidate::to).toList();
            if (!rivals.isEmpty()) {
                tied.add(candidate.from());
                undecided.add(TreePaths.child(at, candidate.from() + "*") + " may have been renamed to any of "
                        + Stream.concat(Stream.of(candidate.to()), rivals.stream()).map(to -> to + "*").toList()
                        + " with equal evidence: not renamed");
                continue;
            }
            renamePrefix(candidate, lost, gained);
        }
    }

    private List<PrefixCandidate> prefixCandidates(Set<String> lost, Set<String> gained) {
        Map<List<String>, Integer> support = new LinkedHashMap<>();
        for (String from : lost) {
            for (String to : gained) {
                List<String> prefixes = prefixes(from, to);
                if (prefixes != null && TensorDigests.sameLayout(before.get(from), after.get(to))) {
                    support.merge(prefixes, 1, Integer::sum);
                }
            }
        }
        List<PrefixCandidate> candidates = new ArrayList<>();
        support.forEach((prefixes, count) -> {
            String from = prefixes.get(0);
            String to = prefixes.get(1);
            if (count >= 2 && whole(from, to, lost, gained)) {
                candidates.add(new PrefixCandidate(from, to, count, moved(from).stream().allMatch(k -> bytesEqual(k, renamed(k, from, to)))));
            }
        });
        candidates.sort(PrefixCandidate.BEST_FIRST);
        return candidates;
    }

    /** True when renaming {@code from} to {@code to} moves every old key under it onto a gained key of the same layout. */
    private boolean whole(String from, String to, Set<String> lost, Set<String> gained) {
        return moved(from).stream().allMatch(k -> lost.contains(k) && gained.contains(renamed(k, from, to))
                && TensorDigests.sameLayout(before.get(k), after.get(renamed(k, from, to))))
                && oldKeys.stream().noneMatch(k -> k.startsWith(to));
    }

    private void renamePrefix(PrefixCandidate rename, Set<String> lost, Set<String> gained) {
        prefixRenames.add(rename);
        List<String> moved = moved(rename.from());
        differences.add(difference(Difference.Kind.PREFIX_RENAMED, rename.from(), rename.to(), null, null,
                rename.bytesEqual() ? "bytes equal" : "same shape, name similarity", moved.size()));
        for (String key : moved) {
            lost.remove(key);
            gained.remove(renamed(key, rename.from(), rename.to()));
        }
    }

    private List<String> moved(String fromPrefix) {
        return before.keySet().stream().filter(k -> k.startsWith(fromPrefix)).toList();
    }

    private static String renamed(String key, String fromPrefix, String toPrefix) {
        return toPrefix + key.substring(fromPrefix.length());
    }

    /** The differing prefixes of two keys with the same last segments, cut at a dot; null when the last segment differs. */
    private static List<String> prefixes(String from, String to) {
        int i = from.length();
        int j = to.length();
        int cutFrom = -1;
        int cutTo = -1;
        while (i > 0 && j > 0 && from.charAt(i - 1) == to.charAt(j - 1)) {
            i--;
            j--;
            if (from.charAt(i) == '.') {
                cutFrom = i + 1;
                cutTo = j + 1;
            }
        }
        if (i == 0 && j > 0 && to.charAt(j - 1) == '.') {
            cutFrom = 0;
            cutTo = j;
        } else if (j == 0 && i > 0 && from.charAt(i - 1) == '.') {
            cutFrom = i;
            cutTo = 0;
        }
        return cutFrom < 0 ? null : List.of(from.substring(0, cutFrom), to.substring(0, cutTo));
    }

    private void byteRenames(Set<String> lost, Set<String> gained) {
        for (String from : List.copyOf(lost)) {
            List<String> equal = gained.stream().filter(to -> TensorDigests.sameLayout(before.get(from), after.get(to))
                    && bytesEqual(from, to)).toList();
            if (equal.size() == 1 && lost.stream().filter(other -> TensorDigests.sameLayout(before.get(other), after.get(equal.get(0)))
                    && bytesEqual(other, equal.get(0))).count() == 1) {
                differences.add(difference(Difference.Kind.TENSOR_RENAMED, from, equal.get(0), TensorDigests.layout(before.get(from)),
                        null, "bytes equal", 1));
                lost.remove(from);
                gained.remove(equal.get(0));
            } else if (equal.size() > 1) {
                undecided.add(TreePaths.child(at, from) + " has the bytes of each of " + equal + ": which one it became is ambiguous");
            }
        }
    }

    private boolean bytesEqual(String from, String to) {
        return oldDigests.digest(before.get(from).value(), TreePaths.child(at, from))
                .equals(newDigests.digest(after.get(to).value(), TreePaths.child(at, to)));
    }

    private Difference difference(Difference.Kind kind, String from, String to, String was, String is, String evidence, int count) {
        return new Difference(kind, Difference.Scope.STATE_DICT, at, from, to, was, is, evidence, count, null);
    }

    private static Map<String, TensorView> tensors(Map<Object, Object> entries) {
        Map<String, TensorView> tensors = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            if (TensorView.isTensor(value)) {
                tensors.put((String) key, TensorView.of(value));
            }
        });
        return tensors;
    }
}
