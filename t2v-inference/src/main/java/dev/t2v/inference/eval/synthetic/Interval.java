package dev.t2v.inference.eval.synthetic;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A two-sided 95 % confidence interval [low, high]; both NaN when there is nothing to estimate from. Proportions use
 * the Wilson score interval (sound at 0 % and 100 % and for small n, where the normal approximation is not); means use
 * Student's t interval.
 */
public record Interval(double low, double high) {
    /** The standard normal 0.975 quantile. */
    static final double Z = 1.959963984540054;
    /** No data. */
    public static final Interval NONE = new Interval(Double.NaN, Double.NaN);

    public Interval {
        if (low > high) {
            throw new IllegalArgumentException("expected low <= high, got " + low + ", " + high);
        }
    }

    /** The Wilson score interval of {@code successes} out of {@code n}; {@link #NONE} when n is 0. */
    public static Interval wilson(long successes, long n) {
        if (successes < 0 || successes > n) {
            throw new IllegalArgumentException("expected 0 <= successes <= n, got " + successes + " of " + n);
        }
        if (n == 0) {
            return NONE;
        }
        double p = successes / (double) n;
        double z2 = Z * Z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = Z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        // Clamped: at p = 0 or 1 round-off puts an end a few ulps outside [0, 1].
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /**
     * Student's t interval of the mean of {@code values} (NaNs skipped): mean ± t(0.975, n − 1)·s/√n. Fewer than two
     * values give {@link #NONE}: one has no spread to estimate.
     */
    public static Interval studentT(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
        int n = v.length;
        if (n < 2) {
            return NONE;
        }
        double mean = Arrays.stream(v).average().orElseThrow();
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double se = Math.sqrt(ss / (n - 1) / n);
        // A null generator: the distribution is only asked for a quantile, never sampled.
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(0.975);
        return new Interval(mean - t * se, mean + t * se);
    }

    /** "[61.0-81.1]", in percent; empty for {@link #NONE}. */
    String formatPercent() {
        return Double.isNaN(low) ? "" : String.format(Locale.ROOT, "[%.1f-%.1f]", 100 * low, 100 * high);
    }

    /** "[0.98-1.06]"; empty for {@link #NONE}. */
    String format() {
        return Double.isNaN(low) ? "" : String.format(Locale.ROOT, "[%.2f-%.2f]", low, high);
    }
}
