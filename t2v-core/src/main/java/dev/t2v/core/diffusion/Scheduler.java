package dev.t2v.core.diffusion;

import dev.t2v.core.config.SchedulerConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * A reverse-diffusion sampler, modelled on diffusers' schedulers. Stateful and cheap: make a fresh one per
 * generation (see {@link Schedulers#create}). The loop a pipeline runs, without knowing which scheduler it has:
 *
 * <pre>{@code
 * scheduler.setTimesteps(steps);
 * INDArray x = noise.mul(scheduler.initNoiseSigma());
 * for (int t : scheduler.timesteps()) {
 *     INDArray out = model(scheduler.scaleModelInput(x, t), t);
 *     x = scheduler.step(out, t, x).prevSample();
 * }
 * }</pre>
 *
 * For SDEdit-style video-to-video, iterate over {@link #timestepsForStrength} instead and start from
 * {@code addNoise(video, noise, first timestep)}. Arrays may be of any floating dtype; results keep the sample's.
 * No method modifies its array arguments.
 */
public interface Scheduler {
    /** The short name the factory knows this scheduler by: {@code ddpm}, {@code ddim} or {@code dpmpp}. */
    String name();

    /** The config this scheduler was built from; any other scheduler can be built from it. */
    SchedulerConfig config();

    /** The forward-process tables this scheduler samples with. */
    NoiseSchedule noiseSchedule();

    /**
     * Chooses {@code numInferenceSteps} timesteps by the config's spacing and resets any per-run state (multistep
     * history).
     *
     * @throws IllegalArgumentException if {@code numInferenceSteps} is below 1 or above the training steps, or the
     *                                  spacing cannot give that many distinct timesteps
     */
    void setTimesteps(int numInferenceSteps);

    /** The timesteps to visit, strictly decreasing, in [0, numTrainTimesteps) (a copy). */
    int[] timesteps();

    /** Model evaluations per timestep (1 for every scheduler here, multistep ones included). */
    int order();

    /** The standard deviation of the initial noise (1 for variance-preserving schedulers). */
    default double initNoiseSigma() {
        return 1.0;
    }

    /** The model input at timestep {@code t}; the identity for every scheduler here. */
    default INDArray scaleModelInput(INDArray sample, int t) {
        return sample;
    }

    /**
     * One denoising step from timestep {@code t} to the previous one.
     *
     * @throws IllegalStateException    if {@link #setTimesteps} was not called
     * @throws IllegalArgumentException if the shapes differ or {@code t} is not a timestep this scheduler can take
     */
    StepOutput step(INDArray modelOutput, int t, INDArray sample);

    /** x_t = √ᾱ_t·x₀ + √(1−ᾱ_t)·ε with one timestep per sample, broadcast over the other dimensions. */
    default INDArray addNoise(INDArray x0, INDArray noise, int[] t) {
        return noiseSchedule().addNoise(x0, noise, t);
    }

    /** v = √ᾱ_t·ε − √(1−ᾱ_t)·x₀ with one timestep per sample, broadcast over the other dimensions. */
    default INDArray velocity(INDArray x0, INDArray noise, int[] t) {
        return noiseSchedule().velocity(x0, noise, t);
    }

    /**
     * The tail of {@link #timesteps()} that denoises from a partially noised sample, as diffusers' img2img
     * {@code get_timesteps}: the last {@code floor(n·strength)} of the n steps. Strength 1 starts from pure noise;
     * the first returned timestep is the one to noise the input to.
     *
     * @throws IllegalArgumentException if strength is outside (0, 1] or leaves no step
     * @throws IllegalStateException    if {@link #setTimesteps} was not called
     */
    default int[] timestepsForStrength(double strength) {
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], got " + strength);
        }
        int[] all = timesteps();
        int n = all.length;
        int keep = Math.min((int) (n * strength), n);
        if (keep == 0) {
            throw new IllegalArgumentException("strength " + strength + " with " + n
                    + " steps leaves no denoising step; raise the strength or the step count");
        }
        return Arrays.copyOfRange(all, (n - keep) * order(), n);
    }
}
