package dev.t2v.inference;

import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.core.diffusion.Schedulers;

/**
 * The request values a model suggests when the caller does not choose (a bundle's {@code video} and {@code sampling}
 * sections).
 *
 * @param frames   frames to generate (the trained window)
 * @param fps      frame rate
 * @param sampler  {@code ddpm}, {@code ddim} or {@code dpmpp}
 * @param steps    denoising steps
 * @param guidance classifier-free guidance scale
 * @param guidanceInterval the timesteps guidance applies at
 */
public record GenerationDefaults(int frames, double fps, String sampler, int steps, double guidance,
                                 GuidanceInterval guidanceInterval) {
    public GenerationDefaults {
        guidanceInterval = guidanceInterval == null ? GuidanceInterval.ALWAYS : guidanceInterval;
        if (frames < 1 || frames > GenerationRequest.MAX_FRAMES) {
            throw new IllegalArgumentException("frames: expected in [1, " + GenerationRequest.MAX_FRAMES + "], got " + frames);
        }
        if (!(fps > 0 && fps <= 60)) {
            throw new IllegalArgumentException("fps: expected in (0, 60], got " + fps);
        }
        if (!Schedulers.names().contains(sampler)) {
            throw new IllegalArgumentException("sampler: expected one of " + Schedulers.names() + ", got " + sampler);
        }
        if (steps < 1 || steps > GenerationRequest.MAX_STEPS) {
            throw new IllegalArgumentException("steps: expected in [1, " + GenerationRequest.MAX_STEPS + "], got " + steps);
        }
        if (!(guidance >= 0 && guidance <= GenerationRequest.MAX_GUIDANCE)) {
            throw new IllegalArgumentException("guidance: expected in [0, " + GenerationRequest.MAX_GUIDANCE + "], got "
                    + guidance);
        }
    }

    /** The {@link GenerationRequest.Builder} defaults with {@code frames} frames: 8 fps, 20 DPM-Solver++ steps, guidance 5. */
    public static GenerationDefaults forWindow(int frames) {
        return new GenerationDefaults(frames, 8, "dpmpp", 20, 5.0, GuidanceInterval.ALWAYS);
    }

    /** A request builder for {@code prompt} holding these defaults. */
    public GenerationRequest.Builder builder(String prompt) {
        return GenerationRequest.builder(prompt).frames(frames).fps(fps).sampler(sampler).steps(steps)
                .guidanceScale(guidance).guidanceInterval(guidanceInterval);
    }
}
