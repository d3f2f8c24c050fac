package dev.ckpt.diff;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pairs keys one side lost with keys the other gained: a move when their values are equal plain
 * values (numbers, strings, booleans, None, and dicts and lists of them) and the pairing is
 * unique, or made unique by the key's name. Everything else stays removed or added.
 */
final class KeyMatching {
    /** A key with its place: {@code path} is where it is relative to the scope. */
    record Entry(String path, Object key, Object value) {
    }

    record Move(Entry from, Entry to, String evidence) {
    }

    final List<Move> moves = new ArrayList<>();
    final List<Entry> removed = new ArrayList<>();
    final List<Entry> added = new ArrayList<>();
    final List<String> ambiguous = new ArrayList<>();

    KeyMatching(List<Entry> lost, List<Entry> gained) {
        List<Entry> open = new ArrayList<>(gained);
        for (Entry entry : lost) {
            List<Entry> candidates = equalValues(entry, open);
            List<Entry> sameKey = candidates.stream().filter(c -> c.key().equals(entry.key())).toList();
            Entry match = null;
            String evidence = null;
            if (candidates.size() == 1 && equalValues(candidates.get(0), lost).size() == 1) {
                match = candidates.get(0);
                evidence = sameKey.isEmpty() ? "equal value" : "equal value, same key";
            } else if (sameKey.size() == 1) {
                match = sameKey.get(0);
                evidence = "equal value, same key";
            } else if (!candidates.isEmpty()) {
                ambiguous.add(entry.path() + " may have moved to any of " + candidates.stream().map(Entry::path).toList());
            }
            if (match != null) {
                moves.add(new Move(entry, match, evidence));
                open.remove(match);
            } else {
                removed.add(entry);
            }
        }
        added.addAll(open);
    }

    private static List<Entry> equalValues(Entry entry, List<Entry> among) {
        if (!isPlain(entry.value())) {
            return List.of();
        }
        // Bounded: equals walks no deeper and no wider than the plain value it starts from.
        return among.stream().filter(other -> Objects.equals(entry.value(), other.value())).toList();
    }

    /** Plain, and small enough to compare: at most {@link TreeComparison#MAX_DEPTH} deep and {@link #MAX_VISITS} values. */
    static boolean isPlain(Object value) {
        return new PlainCheck().plain(value, 0);
    }

    private static final int MAX_VISITS = 100_000;

    /** Counts every value it visits, so a value shared many times (or containing itself) is refused, not walked forever. */
    private static final class PlainCheck {
        private int visits;

        boolean plain(Object value, int depth) {
            if (depth > TreeComparison.MAX_DEPTH || ++visits > MAX_VISITS) {
                return false;
            }
            if (value == null || value instanceof String || value instanceof Long || value instanceof Double
                    || value instanceof Boolean || value instanceof BigInteger) {
                return true;
            }
            if (value instanceof Map<?, ?> map && map.getClass().getPackageName().startsWith("java.util")) {
                return map.entrySet().stream().allMatch(e -> plain(e.getKey(), depth + 1) && plain(e.getValue(), depth + 1));
            }
            if (value instanceof List<?> list && list.getClass().getPackageName().startsWith("java.util")) {
                return list.stream().allMatch(item -> plain(item, depth + 1));
            }
            return false;
        }
    }
}
