package dev.t2v.core.diffusion;

import dev.t2v.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Objects;

/**
 * The forward-process coefficient tables of a {@link SchedulerConfig}, in double: β_t, α_t = 1 − β_t and
 * ᾱ_t = ∏α, for t in [0, numTrainTimesteps). Immutable; shared by the schedulers and the trainer.
 *
 * <p>The forward process is x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε. Tensor methods take one timestep per sample (the first
 * dimension) and broadcast it over the remaining dimensions; results have the dtype of the inputs.
 */
public final class NoiseSchedule {
    private final double[] betas;
    private final double[] alphasCumprod;

    private NoiseSchedule(double[] betas, double[] alphasCumprod) {
        this.betas = betas;
        this.alphasCumprod = alphasCumprod;
    }

    /** The tables for {@code config}: its betas, SNR-shifted, then zero-terminal-SNR rescaled when it asks for them. */
    public static NoiseSchedule of(SchedulerConfig config) {
        double[] betas = config.betaSchedule().betas(config.numTrainTimesteps(), config.betaStart(), config.betaEnd());
        if (config.snrShift() != 1.0) {
            betas = shiftSnr(betas, config.snrShift());
        }
        if (config.rescaleZeroTerminalSnr()) {
            betas = rescaleZeroTerminalSnr(betas);
        }
        return fromBetas(betas);
    }

    /** The tables for explicit betas, each in (0, 1]. */
    public static NoiseSchedule fromBetas(double[] betas) {
        if (betas.length < 1) {
            throw new IllegalArgumentException("betas must not be empty");
        }
        double[] b = betas.clone();
        double[] cumprod = new double[b.length];
        double acc = 1;
        for (int i = 0; i < b.length; i++) {
            if (!(b[i] > 0 && b[i] <= 1)) {
                throw new IllegalArgumentException("beta[" + i + "] must be in (0, 1], got " + b[i]);
            }
            acc *= 1 - b[i];
            cumprod[i] = acc;
        }
        return new NoiseSchedule(b, cumprod);
    }

    /**
     * Rescales betas so that the last timestep has zero signal-to-noise ratio (Lin et al. 2023, "Common Diffusion
     * Noise Schedules and Sample Steps are Flawed", Algorithm 1): √ᾱ is shifted so its last value is 0 and scaled
     * so its first value is kept. The last beta becomes 1.
     */
    public static double[] rescaleZeroTerminalSnr(double[] betas) {
        int n = betas.length;
        double[] sqrtAbar = new double[n];
        double acc = 1;
        for (int i = 0; i < n; i++) {
            acc *= 1 - betas[i];
            sqrtAbar[i] = Math.sqrt(acc);
        }
        double first = sqrtAbar[0];
        double last = sqrtAbar[n - 1];
        double scale = first / (first - last);
        double[] abar = new double[n];
        for (int i = 0; i < n; i++) {
            double s = (sqrtAbar[i] - last) * scale;
            abar[i] = s * s;
        }
        double[] out = new double[n];
        out[0] = 1 - abar[0];
        for (int i = 1; i < n; i++) {
            out[i] = 1 - abar[i] / abar[i - 1];
        }
        return out;
    }

    /**
     * Betas whose every SNR ᾱ/(1−ᾱ) is divided by {@code shift}²: ᾱ' = ᾱ / (ᾱ + shift²·(1−ᾱ)). In flow-matching terms
     * this is SD3's σ' = shift·σ / (1 + (shift−1)·σ); for a VP schedule it is "simple diffusion"'s log-SNR shift by
     * −2·ln(shift).
     */
    public static double[] shiftSnr(double[] betas, double shift) {
        if (!(shift > 0 && Double.isFinite(shift))) {
            throw new IllegalArgumentException("SNR shift must be positive and finite, got " + shift);
        }
        double k2 = shift * shift;
        double[] out = new double[betas.length];
        double acc = 1;
        double previous = 1;
        for (int i = 0; i < betas.length; i++) {
            acc *= 1 - betas[i];
            double shifted = acc / (acc + k2 * (1 - acc));
            out[i] = 1 - shifted / previous;
            previous = shifted;
        }
        return out;
    }

    /**
     * A copy whose last ᾱ is {@code value}. DPM-Solver uses this with 2⁻²⁴ on zero-terminal-SNR schedules so that
     * σ/α stays finite at the first step, as diffusers does.
     */
    public NoiseSchedule withFinalAlphaCumprod(double value) {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException("final alpha_cumprod must be in (0, 1), got " + value);
        }
        double[] cumprod = alphasCumprod.clone();
        cumprod[cumprod.length - 1] = value;
        return new NoiseSchedule(betas, cumprod);
    }

    public int numTrainTimesteps() {
        return betas.length;
    }

    /** β_t for every training step (a copy). */
    public double[] betas() {
        return betas.clone();
    }

    /** ᾱ_t for every training step (a copy). */
    public double[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /** ᾱ_t. */
    public double alphaCumprod(int t) {
        return alphasCumprod[checkT(t)];
    }

    /** The signal-to-noise ratio ᾱ_t / (1 − ᾱ_t); 0 at a zero-SNR terminal step. */
    public double snr(int t) {
        double a = alphaCumprod(t);
        return a / (1 - a);
    }

    /** x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε, with t per sample. */
    public INDArray addNoise(INDArray x0, INDArray noise, int[] t) {
        checkPair(x0, noise, t);
        double[] signal = new double[t.length];
        double[] noiseScale = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double a = alphaCumprod(t[i]);
            signal[i] = Math.sqrt(a);
            noiseScale[i] = Math.sqrt(1 - a);
        }
        return Tensors.perSampleCombination(x0, signal, noise, noiseScale);
    }

    /** The velocity v = √ᾱ_t·ε − √(1−ᾱ_t)·x₀ (Salimans &amp; Ho 2022), with t per sample. */
    public INDArray velocity(INDArray x0, INDArray noise, int[] t) {
        checkPair(x0, noise, t);
        double[] noiseScale = new double[t.length];
        double[] signal = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            double a = alphaCumprod(t[i]);
            noiseScale[i] = Math.sqrt(a);
            signal[i] = -Math.sqrt(1 - a);
        }
        return Tensors.perSampleCombination(noise, noiseScale, x0, signal);
    }

    private int checkT(int t) {
        if (t < 0 || t >= betas.length) {
            throw new IllegalArgumentException("timestep must be in [0, " + betas.length + "), got " + t);
        }
        return t;
    }

    private static void checkPair(INDArray x0, INDArray noise, int[] t) {
        Objects.requireNonNull(t, "t");
        if (!Arrays.equals(x0.shape(), noise.shape())) {
            throw new IllegalArgumentException("x0 and noise shapes differ: " + Arrays.toString(x0.shape())
                    + " vs " + Arrays.toString(noise.shape()));
        }
        if (x0.rank() < 1 || x0.size(0) != t.length) {
            throw new IllegalArgumentException("need one timestep per sample: batch " + (x0.rank() < 1 ? 0 : x0.size(0))
                    + ", got " + t.length + " timesteps");
        }
    }
}
