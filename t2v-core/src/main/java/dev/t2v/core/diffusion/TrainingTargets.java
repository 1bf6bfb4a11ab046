package dev.t2v.core.diffusion;

import dev.t2v.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What a denoiser is trained against under a {@link SchedulerConfig}: timesteps, noised inputs, the regression
 * target for the config's prediction type, and optional min-SNR-γ loss weights (Hang et al. 2023).
 */
public final class TrainingTargets {
    private final PredictionType predictionType;
    private final NoiseSchedule schedule;
    private final TimestepSampling sampling;

    /** Targets with timesteps drawn uniformly. */
    public TrainingTargets(SchedulerConfig config) {
        this(config, TimestepSampling.UNIFORM);
    }

    public TrainingTargets(SchedulerConfig config, TimestepSampling sampling) {
        Objects.requireNonNull(config, "config");
        this.predictionType = config.predictionType();
        this.schedule = NoiseSchedule.of(config);
        this.sampling = Objects.requireNonNull(sampling, "sampling");
    }

    public TimestepSampling sampling() {
        return sampling;
    }

    public PredictionType predictionType() {
        return predictionType;
    }

    public NoiseSchedule noiseSchedule() {
        return schedule;
    }

    /** {@code batch} timesteps in [0, numTrainTimesteps), drawn by this target's {@link TimestepSampling}. */
    public int[] sampleTimesteps(int batch, RandomGenerator rng) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        int[] t = new int[batch];
        for (int i = 0; i < batch; i++) {
            t[i] = sampling.sample(schedule.numTrainTimesteps(), rng);
        }
        return t;
    }

    /** The model input x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε, one timestep per sample. */
    public INDArray noisySample(INDArray x0, INDArray noise, int[] t) {
        return schedule.addNoise(x0, noise, t);
    }

    /**
     * The regression target: ε for {@code epsilon}, v = √ᾱ_t·ε − √(1−ᾱ_t)·x₀ for {@code v_prediction}, x₀ for
     * {@code sample}. Returns a new array (a copy of the noise or x₀ for the latter two).
     */
    public INDArray target(INDArray x0, INDArray noise, int[] t) {
        return switch (predictionType) {
            case EPSILON -> {
                schedule.addNoise(x0, noise, t); // validates shapes and timesteps like the other cases
                yield noise.dup();
            }
            case V_PREDICTION -> schedule.velocity(x0, noise, t);
            case SAMPLE -> {
                schedule.addNoise(x0, noise, t);
                yield x0.dup();
            }
        };
    }

    /**
     * Per-sample min-SNR-γ loss weights for the config's prediction type, so that the weighted loss equals the
     * x₀-space loss with weight min(SNR, γ): ε → min(SNR,γ)/SNR, v → min(SNR,γ)/(SNR+1), x₀ → min(SNR,γ).
     *
     * @param gamma γ &gt; 0 turns weighting on (5 is the paper's choice); {@code null} or γ ≤ 0 gives weight 1
     */
    public double[] minSnrWeights(int[] t, Double gamma) {
        double[] w = new double[t.length];
        if (gamma == null || !(gamma > 0)) {
            Arrays.fill(w, 1.0);
            return w;
        }
        for (int i = 0; i < t.length; i++) {
            w[i] = minSnrWeight(predictionType, schedule.snr(t[i]), gamma);
        }
        return w;
    }

    /** The min-SNR-γ weight at one SNR value (γ &gt; 0). For ε at SNR 0 it is the limit 1. */
    public static double minSnrWeight(PredictionType type, double snr, double gamma) {
        double clipped = Math.min(snr, gamma);
        return switch (type) {
            // min(snr,γ)/snr written as min(1, γ/snr) so that it stays defined at snr = 0
            case EPSILON -> snr <= gamma ? 1.0 : gamma / snr;
            case V_PREDICTION -> clipped / (snr + 1);
            case SAMPLE -> clipped;
        };
    }
}
