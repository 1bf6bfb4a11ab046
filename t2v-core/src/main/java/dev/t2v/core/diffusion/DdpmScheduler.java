package dev.t2v.core.diffusion;

import dev.t2v.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * Ancestral DDPM sampling (Ho et al. 2020) on a sub-sequence of timesteps, as diffusers' DDPMScheduler with
 * {@code variance_type="fixed_small"}: from x_t it takes the mean of the posterior q(x_prev | x_t, x̂₀) and adds
 * √(β̃)·z, β̃ = (1−ᾱ_prev)/(1−ᾱ_t)·(1−ᾱ_t/ᾱ_prev) clamped at 1e-20, for every t &gt; 0. The previous timestep is
 * the next one in {@link #timesteps()} (ᾱ_prev = 1 after the last), so t must be one of them.
 */
public final class DdpmScheduler implements Scheduler {
    /** diffusers' floor on the posterior variance, which keeps its square root finite at ᾱ_prev = 1. */
    private static final double MIN_VARIANCE = 1e-20;

    private final SchedulerConfig config;
    private final NoiseSchedule schedule;
    private final NoiseSource noise;
    private int[] timesteps;

    /** A scheduler whose noise comes from {@link NoiseSource#seeded(long)}. */
    public DdpmScheduler(SchedulerConfig config, long seed) {
        this(config, NoiseSource.seeded(seed));
    }

    /** A scheduler drawing its per-step noise from {@code noise}. */
    public DdpmScheduler(SchedulerConfig config, NoiseSource noise) {
        this.config = Objects.requireNonNull(config, "config");
        this.noise = Objects.requireNonNull(noise, "noise");
        this.schedule = NoiseSchedule.of(config);
    }

    @Override
    public String name() {
        return "ddpm";
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    @Override
    public NoiseSchedule noiseSchedule() {
        return schedule;
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
        int index = indexOf(ts, t);
        int prev = index + 1 < ts.length ? ts[index + 1] : -1;
        double alphaProd = schedule.alphaCumprod(t);
        double alphaProdPrev = prev >= 0 ? schedule.alphaCumprod(prev) : 1.0;
        double currentAlpha = alphaProd / alphaProdPrev;
        double currentBeta = 1 - currentAlpha;

        INDArray x0 = config.predictionType().originalSample(out, sample, Math.sqrt(alphaProd), Math.sqrt(1 - alphaProd));
        if (config.clipSample()) {
            x0 = Tensors.clip(x0, config.clipSampleRange());
        }
        // Posterior mean (Ho et al. 2020, eq. 7) with the step's own beta, so that skipping timesteps works.
        double x0Coeff = Math.sqrt(alphaProdPrev) * currentBeta / (1 - alphaProd);
        double sampleCoeff = Math.sqrt(currentAlpha) * (1 - alphaProdPrev) / (1 - alphaProd);
        INDArray prevSample = Tensors.combination(x0, x0Coeff, sample, sampleCoeff);
        if (t > 0) {
            double variance = Math.max((1 - alphaProdPrev) / (1 - alphaProd) * currentBeta, MIN_VARIANCE);
            prevSample.addi(noise.next(sample.shape(), sample.dataType()).mul(Math.sqrt(variance)));
        }
        return new StepOutput(prevSample, x0);
    }

    private int[] requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException("ddpm: call setTimesteps(n) before step() or timesteps()");
        }
        return timesteps;
    }

    private static int indexOf(int[] ts, int t) {
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == t) {
                return i;
            }
        }
        throw new IllegalArgumentException("ddpm: timestep " + t + " is not one of the " + ts.length
                + " set by setTimesteps (first " + ts[0] + ", last " + ts[ts.length - 1] + ")");
    }
}
