package dev.t2v.core.diffusion;

import dev.t2v.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * DDIM sampling (Song et al. 2021, eq. 12) as diffusers' DDIMScheduler: x_prev = √ᾱ_prev·x̂₀ +
 * √(1−ᾱ_prev−σ²)·ε̂ + σ·z with σ = η·√((1−ᾱ_prev)/(1−ᾱ_t)·(1−ᾱ_t/ᾱ_prev)). η = 0 is deterministic; noise is drawn
 * at every step when η &gt; 0. As in diffusers the previous timestep is {@code t − N // n} (N training steps, n
 * inference steps), and below 0 ᾱ_prev is 1 if {@code set_alpha_to_one} else ᾱ₀.
 */
public final class DdimScheduler implements Scheduler {
    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    private final double eta;
    private final NoiseSource noise;
    private int[] timesteps;

    /** A scheduler with stochasticity {@code eta} in [0, 1] whose noise comes from {@link NoiseSource#seeded(long)}. */
    public DdimScheduler(SchedulerConfig config, double eta, long seed) {
        this(config, eta, NoiseSource.seeded(seed));
    }

    /** A scheduler with stochasticity {@code eta} in [0, 1] drawing its noise from {@code noise}. */
    public DdimScheduler(SchedulerConfig config, double eta, NoiseSource noise) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("ddim: eta must be in [0, 1], got " + eta);
        }
        this.config = Objects.requireNonNull(config, "config");
        this.noise = Objects.requireNonNull(noise, "noise");
        this.eta = eta;
        this.schedule = NoiseSchedule.of(config);
    }

    @Override
    public String name() {
        return "ddim";
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    @Override
    public NoiseSchedule noiseSchedule() {
        return schedule;
    }

    public double eta() {
        return eta;
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        timesteps = config.timestepSpacing().timesteps(config.numTrainTimesteps(), numInferenceSteps, config.stepsOffset());
    }

    @Override
    public int[] timesteps() {
        return requireTimesteps().clone();
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public StepOutput step(INDArray modelOutput, int t, INDArray sample) {
        int[] ts = requireTimesteps();
        INDArray out = Tensors.checkStepInputs(modelOutput, sample);
        int prev = t - config.numTrainTimesteps() / ts.length;
        double alphaProd = schedule.alphaCumprod(t);
        double alphaProdPrev = prev >= 0 ? schedule.alphaCumprod(prev)
                : config.setAlphaToOne() ? 1.0 : schedule.alphaCumprod(0);
        double alpha = Math.sqrt(alphaProd);
        double sigma = Math.sqrt(1 - alphaProd);

        PredictionType type = config.predictionType();
        INDArray x0 = type.originalSample(out, sample, alpha, sigma);
        // ε̂ comes from the unclipped x̂₀, as diffusers' default use_clipped_model_output=False.
        INDArray eps = type.epsilon(out, sample, alpha, sigma);
        if (config.clipSample()) {
            x0 = Tensors.clip(x0, config.clipSampleRange());
        }
        double variance = (1 - alphaProdPrev) / (1 - alphaProd) * (1 - alphaProd / alphaProdPrev);
        double std = eta * Math.sqrt(variance);
        // max(0, ·) guards against a rounding-negative radicand where it is 0 in exact arithmetic (η = 1, ᾱ_t = 0).
        double direction = Math.sqrt(Math.max(0, 1 - alphaProdPrev - std * std));
        INDArray prevSample = Tensors.combination(x0, Math.sqrt(alphaProdPrev), eps, direction);
        if (eta > 0) {
            prevSample.addi(noise.next(sample.shape(), sample.dataType()).mul(std));
        }
        return new StepOutput(prevSample, x0);
    }

    private int[] requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException("ddim: call setTimesteps(n) before step() or timesteps()");
        }
        return timesteps;
    }
}
