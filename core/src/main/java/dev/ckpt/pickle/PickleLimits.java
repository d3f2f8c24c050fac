package dev.ckpt.pickle;

/**
 * Bounds that keep a hostile pickle from exhausting memory or the Java stack. The defaults are
 * far above what CPython can write (its own recursion limit caps nesting near 1000).
 *
 * @param maxStack        values on the VM stack at once
 * @param maxMarks        open MARKs at once
 * @param maxNesting      depth of nested tuples and frozensets (the immutable values whose
 *                        equality and hashing would otherwise recurse)
 * @param maxMemo         memo entries
 * @param maxIntDigits    decimal digits of a text integer (CPython's int_max_str_digits)
 */
public record PickleLimits(int maxStack, int maxMarks, int maxNesting, int maxMemo, int maxIntDigits) {
    public static final PickleLimits DEFAULT = new PickleLimits(1_000_000, 100_000, 2_000, 50_000_000, 4_300);
}
