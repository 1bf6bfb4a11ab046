package dev.t2v.core.diffusion;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the per-step noise variances β₀…β_{N−1} are laid out, named as diffusers' {@code beta_schedule}.
 * Computed in double (diffusers uses float32).
 */
public enum BetaSchedule {
    /** β linear from betaStart to betaEnd (Ho et al. 2020). */
    LINEAR("linear"),
    /** √β linear from √betaStart to √betaEnd, squared: the latent-diffusion (Stable Diffusion) schedule. */
    SCALED_LINEAR("scaled_linear"),
    /**
     * Cosine ᾱ(t) = cos²((t/N + 0.008)/1.008 · π/2), β_i = min(1 − ᾱ((i+1)/N)/ᾱ(i/N), 0.999) (Nichol &amp; Dhariwal
     * 2021); betaStart and betaEnd are ignored.
     */
    SQUAREDCOS_CAP_V2("squaredcos_cap_v2");

    /** The cap diffusers' betas_for_alpha_bar puts on the cosine schedule's betas. */
    private static final double COSINE_MAX_BETA = 0.999;
    /** The cosine schedule's offset s, which keeps β₀ from being vanishingly small. */
    private static final double COSINE_OFFSET = 0.008;

    private final String id;

    BetaSchedule(String id) {
        this.id = id;
    }

    /** The diffusers name, e.g. {@code scaled_linear}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** Parses a diffusers name (case-insensitive); the message lists the accepted names. */
    @JsonCreator
    public static BetaSchedule fromId(String id) {
        for (BetaSchedule b : values()) {
            if (b.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new IllegalArgumentException("beta_schedule: expected one of "
                + Arrays.stream(values()).map(BetaSchedule::id).collect(Collectors.joining(", ")) + ", got " + id);
    }

    /** The {@code n} betas of this schedule. */
    public double[] betas(int n, double betaStart, double betaEnd) {
        if (n < 1) {
            throw new IllegalArgumentException("num_train_timesteps must be >= 1, got " + n);
        }
        double[] betas = new double[n];
        switch (this) {
            case LINEAR -> {
                double[] lin = linspace(betaStart, betaEnd, n);
                System.arraycopy(lin, 0, betas, 0, n);
            }
            case SCALED_LINEAR -> {
                double[] lin = linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), n);
                for (int i = 0; i < n; i++) {
                    betas[i] = lin[i] * lin[i];
                }
            }
            case SQUAREDCOS_CAP_V2 -> {
                for (int i = 0; i < n; i++) {
                    double ratio = cosineAlphaBar((i + 1) / (double) n) / cosineAlphaBar(i / (double) n);
                    betas[i] = Math.min(1 - ratio, COSINE_MAX_BETA);
                }
            }
        }
        return betas;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + COSINE_OFFSET) / (1 + COSINE_OFFSET) * Math.PI / 2);
        return c * c;
    }

    /** numpy.linspace semantics: start + i·step, the last point exactly {@code stop}. */
    static double[] linspace(double start, double stop, int n) {
        double[] out = new double[n];
        if (n == 1) {
            out[0] = start;
            return out;
        }
        double step = (stop - start) / (n - 1);
        for (int i = 0; i < n; i++) {
            out[i] = i * step + start;
        }
        out[n - 1] = stop;
        return out;
    }
}
