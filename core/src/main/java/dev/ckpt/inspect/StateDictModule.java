package dev.ckpt.inspect;

import java.util.Arrays;

/**
 * The module a state-dict key names, the one rule of {@code show}'s totals and of the report's
 * sizes: the key without its last dotted segment, cut to its first segments
 * ({@code model.encoder.layers.3.weight} is {@code model.encoder} at {@value #SEGMENTS}).
 */
public final class StateDictModule {
    /** How many segments {@code show} totals by. */
    public static final int SEGMENTS = 2;

    private StateDictModule() {
    }

    /** The module of {@code key} cut to {@code segments}, or null for a key with no dot after its first character. */
    public static String of(String key, int segments) {
        if (key.indexOf('.') <= 0) {
            return null;
        }
        String[] parts = key.split("\\.", -1);
        return String.join(".", Arrays.copyOfRange(parts, 0, Math.min(segments, parts.length - 1)));
    }
}
