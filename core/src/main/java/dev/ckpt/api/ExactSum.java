package dev.ckpt.api;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * The correctly rounded sum of doubles: Shewchuk's partials as in Python's {@code math.fsum}.
 * Where fsum would raise, this answers: NaN for +inf + -inf, and the exact sum (through
 * BigDecimal) when a partial overflows though the inputs are finite.
 */
final class ExactSum {

    private static final long QUIET = 0x0008000000000000L;

    private ExactSum() {
    }

    static double of(double[] values) {
        double special = specialSum(values);
        if (special != 0) {
            return special;
        }
        double[] partials = new double[values.length + 1];
        int count = 0;
        for (double value : values) {
            count = addToPartials(partials, count, value);
            if (count < 0) {
                return bigDecimalSum(values);
            }
        }
        return roundPartials(partials, count);
    }

    /**
     * As CPython's fsum on x86-64: NaN (its own) when infinities of both signs meet, else the
     * last NaN quieted, else the infinity; 0 when all are finite. The NaN is chosen explicitly
     * because which of two NaN operands {@code +} returns is up to the compiler (or the JIT).
     */
    private static double specialSum(double[] values) {
        double infinities = 0;
        long lastNaN = 0;
        for (double value : values) {
            if (Double.isInfinite(value)) {
                infinities = infinities == -value || Double.isNaN(infinities) ? Double.NaN : value;
            } else if (Double.isNaN(value)) {
                lastNaN = Double.doubleToRawLongBits(value) | QUIET;
            }
        }
        if (Double.isNaN(infinities) || lastNaN == 0) {
            return infinities;
        }
        return Double.longBitsToDouble(lastNaN);
    }

    /** Returns the new partial count, or -1 when a partial overflowed. */
    private static int addToPartials(double[] partials, int count, double value) {
        double x = value;
        int kept = 0;
        for (int j = 0; j < count; j++) {
            double y = partials[j];
            if (Math.abs(x) < Math.abs(y)) {
                double swap = x;
                x = y;
                y = swap;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0) {
                partials[kept++] = lo;
            }
            x = hi;
        }
        if (!Double.isFinite(x)) {
            return -1;
        }
        if (x == 0.0) {
            return kept;  // as fsum: no zero partial, so that an all-zero sum is +0.0
        }
        partials[kept] = x;
        return kept + 1;
    }

    /** Python's final step: sum from the top, then correct a half-way case against the rest. */
    private static double roundPartials(double[] partials, int count) {
        if (count == 0) {
            return 0.0;
        }
        int n = count - 1;
        double hi = partials[n];
        double lo = 0;
        while (n > 0) {
            double x = hi;
            double y = partials[--n];
            hi = x + y;
            double yr = hi - x;
            lo = y - yr;
            if (lo != 0.0) {
                break;
            }
        }
        if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
            double y = lo * 2;
            double x = hi + y;
            if (y == x - hi) {
                hi = x;
            }
        }
        return hi;
    }

    private static double bigDecimalSum(double[] values) {
        return Arrays.stream(values).mapToObj(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add).doubleValue();
    }
}
