package dev.t2v.core.diffusion;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How training draws a timestep t in [0, N): uniformly (DDPM), or logit-normally (SD3, Esser et al. 2024), which
 * draws u ~ N(loc, scale²) and takes t = ⌊sigmoid(u)·N⌋, so that a positive {@code loc} spends more of the training
 * on the noisy end, where a generator decides what is where. A logit-normal may keep a uniform share, so that the
 * low-noise end, where edges and shapes are refined, is still trained. Written as {@code uniform},
 * {@code logit-normal:LOC,SCALE} or {@code logit-normal:LOC,SCALE+uniform:SHARE} in configs and on the command line.
 *
 * @param kind         the distribution
 * @param loc          the logit-normal's mean (0 for uniform)
 * @param scale        the logit-normal's standard deviation, positive (1 for uniform)
 * @param uniformShare the probability of a uniform draw instead, in [0, 1) (0 for uniform)
 */
public record TimestepSampling(Kind kind, double loc, double scale, double uniformShare) {
    public static final TimestepSampling UNIFORM = new TimestepSampling(Kind.UNIFORM, 0, 1, 0);

    /** The distribution's family. */
    public enum Kind { UNIFORM, LOGIT_NORMAL }

    public TimestepSampling {
        if (kind == null) {
            throw new IllegalArgumentException("timestep sampling kind must not be null");
        }
        if (!Double.isFinite(loc) || Math.abs(loc) > 10) {
            throw new IllegalArgumentException("timestep sampling loc must be in [-10, 10], got " + loc);
        }
        if (!(scale > 0 && scale <= 10)) {
            throw new IllegalArgumentException("timestep sampling scale must be in (0, 10], got " + scale);
        }
        if (!(uniformShare >= 0 && uniformShare < 1)) {
            throw new IllegalArgumentException("timestep sampling uniform share must be in [0, 1), got " + uniformShare);
        }
        if (kind == Kind.UNIFORM && (loc != 0 || scale != 1 || uniformShare != 0)) {
            throw new IllegalArgumentException("uniform timestep sampling takes no parameters");
        }
    }

    public static TimestepSampling logitNormal(double loc, double scale) {
        return new TimestepSampling(Kind.LOGIT_NORMAL, loc, scale, 0);
    }

    /** This logit-normal with a share of uniform draws. */
    public TimestepSampling withUniformShare(double share) {
        if (kind == Kind.UNIFORM) {
            throw new IllegalArgumentException("uniform timestep sampling takes no uniform share");
        }
        return new TimestepSampling(kind, loc, scale, share);
    }

    /**
     * One timestep in [0, n). Uniform takes one {@code nextInt}, logit-normal one {@code nextGaussian}; with a uniform
     * share, one {@code nextDouble} first picks which.
     */
    public int sample(int n, RandomGenerator rng) {
        if (kind == Kind.UNIFORM || (uniformShare > 0 && rng.nextDouble() < uniformShare)) {
            return rng.nextInt(n);
        }
        double u = loc + scale * rng.nextGaussian();
        double x = 1 / (1 + Math.exp(-u));
        return Math.min(n - 1, (int) Math.floor(x * n));
    }

    /** The probability of each timestep in [0, n) under this distribution (sums to 1). */
    public double[] probabilities(int n) {
        double[] p = new double[n];
        if (kind == Kind.UNIFORM) {
            java.util.Arrays.fill(p, 1.0 / n);
            return p;
        }
        // P(t) = share/n + (1 − share)·[Φ((logit((t+1)/n) − loc)/scale) − Φ((logit(t/n) − loc)/scale)]
        double previous = 0;
        for (int t = 0; t < n; t++) {
            double upper = t == n - 1 ? 1 : normalCdf((logit((t + 1.0) / n) - loc) / scale);
            p[t] = uniformShare / n + (1 - uniformShare) * (upper - previous);
            previous = upper;
        }
        return p;
    }

    /** {@code uniform}, {@code logit-normal:LOC,SCALE} or {@code logit-normal:LOC,SCALE+uniform:SHARE}. */
    public String label() {
        if (kind == Kind.UNIFORM) {
            return "uniform";
        }
        String ln = String.format(Locale.ROOT, "logit-normal:%s,%s", trim(loc), trim(scale));
        return uniformShare == 0 ? ln : ln + "+uniform:" + trim(uniformShare);
    }

    @Override
    public String toString() {
        return label();
    }

    /** Parses {@link #label()}'s form. */
    public static TimestepSampling parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("uniform")) {
            return UNIFORM;
        }
        String prefix = "logit-normal:";
        String mix = "+uniform:";
        if (s.startsWith(prefix)) {
            String body = s.substring(prefix.length());
            int plus = body.indexOf(mix);
            String[] parts = (plus < 0 ? body : body.substring(0, plus)).split(",");
            if (parts.length == 2) {
                try {
                    TimestepSampling ln = logitNormal(Double.parseDouble(parts[0].trim()),
                            Double.parseDouble(parts[1].trim()));
                    return plus < 0 ? ln
                            : ln.withUniformShare(Double.parseDouble(body.substring(plus + mix.length()).trim()));
                } catch (NumberFormatException e) {
                    // falls through to the message below
                }
            }
        }
        throw new IllegalArgumentException("timestep sampling: expected 'uniform', 'logit-normal:LOC,SCALE' or "
                + "'logit-normal:LOC,SCALE+uniform:SHARE' (e.g. logit-normal:1,1+uniform:0.3), got '" + text + "'");
    }

    private static double logit(double x) {
        return Math.log(x / (1 - x));
    }

    /** Φ(x), the standard normal CDF. */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    /** Complementary error function (Numerical Recipes' erfcc, fractional error below 1.2e-7). */
    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
