package dev.t2v.inference;

import dev.t2v.core.bundle.SamplingDefaults;
import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.core.diffusion.Schedulers;
import dev.t2v.data.video.Video;
import java.util.Locale;
import java.util.Objects;

/**
 * One prompt-to-video request, validated when built.
 *
 * @param prompt what the video shows; empty asks for an unconditional sample (the empty caption is the null condition
 *     the model learnt under caption dropout, so the video is anything of the training set's kind)
 * @param negativePrompt what to steer away from; empty means the null (unconditional) prompt
 * @param frames frames to generate; more than the model's window uses overlapping-window co-denoising
 * @param fps frame rate of the result
 * @param steps denoising steps
 * @param guidanceScale classifier-free guidance scale; 1 turns guidance off
 * @param guidanceRescale guidance rescale in [0, 1] (Lin et al. 2023); 0 turns it off
 * @param sampler {@code ddpm}, {@code ddim} or {@code dpmpp}
 * @param seed the seed of every random draw; the same request and seed give the same frames
 * @param eta DDIM's eta in [0, 1]; ignored by the other samplers
 * @param initVideo an optional input video for video-to-video (SDEdit); null for text-to-video
 * @param strength how much of {@code initVideo} is re-generated, in (0, 1]; ignored without an init video
 * @param guidanceInterval the timesteps at which guidance applies; the others take the conditional prediction alone
 */
public record GenerationRequest(
        String prompt,
        String negativePrompt,
        int frames,
        double fps,
        int steps,
        double guidanceScale,
        double guidanceRescale,
        String sampler,
        long seed,
        double eta,
        Video initVideo,
        double strength,
        GuidanceInterval guidanceInterval) {

    public static final int MAX_PROMPT_CHARS = 1000;
    public static final int MAX_FRAMES = 512;
    /** The bundle's limit ({@link SamplingDefaults#MAX_STEPS}), so every bundle default is a valid request. */
    public static final int MAX_STEPS = SamplingDefaults.MAX_STEPS;
    /** The bundle's limit ({@link SamplingDefaults#MAX_GUIDANCE}). */
    public static final double MAX_GUIDANCE = SamplingDefaults.MAX_GUIDANCE;

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        sampler = sampler == null ? "" : sampler.trim().toLowerCase(Locale.ROOT);
        check(prompt.length() <= MAX_PROMPT_CHARS, "prompt", "at most " + MAX_PROMPT_CHARS + " characters", prompt.length());
        check(negativePrompt.length() <= MAX_PROMPT_CHARS, "negativePrompt", "at most " + MAX_PROMPT_CHARS + " characters",
                negativePrompt.length());
        check(frames >= 1 && frames <= MAX_FRAMES, "frames", "in [1, " + MAX_FRAMES + "]", frames);
        check(fps > 0 && fps <= 60, "fps", "in (0, 60]", fps);
        check(steps >= 1 && steps <= MAX_STEPS, "steps", "in [1, " + MAX_STEPS + "]", steps);
        check(guidanceScale >= 0 && guidanceScale <= MAX_GUIDANCE, "guidanceScale", "in [0, " + MAX_GUIDANCE + "]", guidanceScale);
        check(guidanceRescale >= 0 && guidanceRescale <= 1, "guidanceRescale", "in [0, 1]", guidanceRescale);
        check(Schedulers.names().contains(sampler), "sampler", "one of " + Schedulers.names(), sampler);
        check(eta >= 0 && eta <= 1, "eta", "in [0, 1]", eta);
        check(strength > 0 && strength <= 1, "strength", "in (0, 1]", strength);
        guidanceInterval = guidanceInterval == null ? GuidanceInterval.ALWAYS : guidanceInterval;
    }

    private static void check(boolean ok, String field, String expected, Object got) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": expected " + expected + ", got " + got);
        }
    }

    /** Whether classifier-free guidance runs (it needs an unconditional branch). */
    public boolean usesGuidance() {
        return guidanceScale != 1.0;
    }

    public static Builder builder(String prompt) {
        return new Builder(prompt);
    }

    public Builder toBuilder() {
        return new Builder(prompt).negativePrompt(negativePrompt).frames(frames).fps(fps).steps(steps)
                .guidanceScale(guidanceScale).guidanceRescale(guidanceRescale).sampler(sampler).seed(seed).eta(eta)
                .initVideo(initVideo, strength).guidanceInterval(guidanceInterval);
    }

    /** Defaults: 8 frames at 8 fps, 20 DPM-Solver++ steps, guidance 5, seed 0. */
    public static final class Builder {
        private final String prompt;
        private String negativePrompt = "";
        private int frames = 8;
        private double fps = 8;
        private int steps = 20;
        private double guidanceScale = 5.0;
        private double guidanceRescale = 0;
        private String sampler = "dpmpp";
        private long seed;
        private double eta;
        private Video initVideo;
        private double strength = 0.6;
        private GuidanceInterval guidanceInterval = GuidanceInterval.ALWAYS;

        private Builder(String prompt) {
            this.prompt = prompt;
        }

        public Builder negativePrompt(String v) { this.negativePrompt = v; return this; }
        public Builder frames(int v) { this.frames = v; return this; }
        public Builder fps(double v) { this.fps = v; return this; }
        public Builder steps(int v) { this.steps = v; return this; }
        public Builder guidanceScale(double v) { this.guidanceScale = v; return this; }
        public Builder guidanceRescale(double v) { this.guidanceRescale = v; return this; }
        public Builder sampler(String v) { this.sampler = v; return this; }
        public Builder seed(long v) { this.seed = v; return this; }
        public Builder eta(double v) { this.eta = v; return this; }
        public Builder guidanceInterval(GuidanceInterval v) { this.guidanceInterval = v; return this; }

        public Builder initVideo(Video video, double strength) {
            this.initVideo = video;
            this.strength = strength;
            return this;
        }

        public GenerationRequest build() {
            return new GenerationRequest(prompt, negativePrompt, frames, fps, steps, guidanceScale, guidanceRescale,
                    sampler, seed, eta, initVideo, strength, guidanceInterval);
        }
    }
}
