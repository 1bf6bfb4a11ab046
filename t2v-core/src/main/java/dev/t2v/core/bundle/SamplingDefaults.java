package dev.t2v.core.bundle;

import dev.t2v.core.diffusion.GuidanceInterval;

import java.util.Set;

/**
 * What {@code t2v generate} uses when the user does not say ({@code model.json}'s {@code sampling} object).
 *
 * @param sampler {@code ddpm}, {@code ddim} or {@code dpmpp}
 * @param steps denoising steps, in [1, 1000]
 * @param guidance classifier-free guidance scale, in [0, 50] (1 = no guidance)
 * @param guidanceInterval the timesteps guidance applies at ({@code guidance_interval}, {@code "LO,HI"}; absent =
 *     every step)
 */
public record SamplingDefaults(String sampler, int steps, double guidance, GuidanceInterval guidanceInterval) {
    public static final Set<String> SAMPLERS = Set.of("ddpm", "ddim", "dpmpp");

    public SamplingDefaults {
        guidanceInterval = guidanceInterval == null ? GuidanceInterval.ALWAYS : guidanceInterval;
        if (sampler == null || !SAMPLERS.contains(sampler)) {
            throw new IllegalArgumentException("sampling sampler must be one of " + SAMPLERS + ", got " + sampler);
        }
        if (steps < 1 || steps > 1000) {
            throw new IllegalArgumentException("sampling steps must be in [1, 1000], got " + steps);
        }
        if (!(guidance >= 0 && guidance <= 50)) {
            throw new IllegalArgumentException("sampling guidance must be in [0, 50], got " + guidance);
        }
    }

    /** DPM-Solver++ with 20 steps and guidance 5. */
    public static SamplingDefaults defaults() {
        return new SamplingDefaults("dpmpp", 20, 5.0, GuidanceInterval.ALWAYS);
    }
}
