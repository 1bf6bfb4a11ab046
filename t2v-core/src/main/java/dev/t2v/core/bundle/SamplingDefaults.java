package dev.t2v.core.bundle;

import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.core.diffusion.Schedulers;

import java.util.Set;

/**
 * What {@code t2v generate} uses when the user does not say ({@code model.json}'s {@code sampling} object).
 *
 * <p>Its limits are the ones every generation request is held to ({@link #MAX_STEPS}, {@link #MAX_GUIDANCE}, the
 * {@link Schedulers} names): one source, so a bundle that reads is a bundle whose defaults a request accepts.
 *
 * @param sampler {@code ddpm}, {@code ddim} or {@code dpmpp}
 * @param steps denoising steps, in [1, {@value #MAX_STEPS}]
 * @param guidance classifier-free guidance scale, in [0, {@value #MAX_GUIDANCE}] (1 = no guidance)
 * @param guidanceInterval the timesteps guidance applies at ({@code guidance_interval}, {@code "LO,HI"}; absent =
 *     every step)
 */
public record SamplingDefaults(String sampler, int steps, double guidance, GuidanceInterval guidanceInterval) {
    public static final Set<String> SAMPLERS = Set.copyOf(Schedulers.names());
    /** The most denoising steps a bundle may suggest or a request may ask for. */
    public static final int MAX_STEPS = 1000;
    /** The largest classifier-free guidance scale a bundle may suggest or a request may ask for. */
    public static final double MAX_GUIDANCE = 30;

    public SamplingDefaults {
        guidanceInterval = guidanceInterval == null ? GuidanceInterval.ALWAYS : guidanceInterval;
        if (sampler == null || !SAMPLERS.contains(sampler)) {
            throw new IllegalArgumentException("sampling sampler must be one of " + SAMPLERS + ", got " + sampler);
        }
        if (steps < 1 || steps > MAX_STEPS) {
            throw new IllegalArgumentException("sampling steps must be in [1, " + MAX_STEPS + "], got " + steps);
        }
        if (!(guidance >= 0 && guidance <= MAX_GUIDANCE)) {
            throw new IllegalArgumentException("sampling guidance must be in [0, " + MAX_GUIDANCE + "], got "
                    + guidance);
        }
    }

    /** DPM-Solver++ with 20 steps and guidance 5. */
    public static SamplingDefaults defaults() {
        return new SamplingDefaults("dpmpp", 20, 5.0, GuidanceInterval.ALWAYS);
    }
}
