package dev.t2v.inference.eval;

import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.core.diffusion.Schedulers;
import dev.t2v.inference.GenerationRequest;

import java.util.Locale;

/**
 * How an evaluation generates its videos.
 *
 * @param samplesPerPrompt videos per prompt, each with its own seed
 * @param frames           frames per video
 * @param fps              frame rate
 * @param steps            denoising steps
 * @param guidance         classifier-free guidance scale
 * @param sampler          {@code ddpm}, {@code ddim} or {@code dpmpp}
 * @param seed             the seed of the first video; video {@code i} (prompt-major order) uses {@code seed + i}
 * @param guidanceInterval the timesteps at which guidance applies
 */
public record EvalOptions(int samplesPerPrompt, int frames, double fps, int steps, double guidance, String sampler,
                          long seed, GuidanceInterval guidanceInterval) {
    public EvalOptions {
        if (samplesPerPrompt < 1) {
            throw new IllegalArgumentException("samplesPerPrompt must be >= 1, got " + samplesPerPrompt);
        }
        sampler = sampler == null ? "" : sampler.trim().toLowerCase(Locale.ROOT);
        // The request validates the rest with the same bounds generate uses.
        guidanceInterval = guidanceInterval == null ? GuidanceInterval.ALWAYS : guidanceInterval;
        request("probe", 0, frames, fps, steps, guidance, sampler, seed, guidanceInterval);
    }

    /** The request for sample {@code index} (prompt-major) of {@code prompt}. */
    public GenerationRequest request(String prompt, int index) {
        return request(prompt, index, frames, fps, steps, guidance, sampler, seed, guidanceInterval);
    }

    private static GenerationRequest request(String prompt, int index, int frames, double fps, int steps,
                                             double guidance, String sampler, long seed,
                                             GuidanceInterval interval) {
        if (!Schedulers.names().contains(sampler)) {
            throw new IllegalArgumentException("sampler: expected one of " + Schedulers.names() + ", got " + sampler);
        }
        return GenerationRequest.builder(prompt).frames(frames).fps(fps).steps(steps).guidanceScale(guidance)
                .sampler(sampler).seed(seed + index).guidanceInterval(interval).build();
    }
}
