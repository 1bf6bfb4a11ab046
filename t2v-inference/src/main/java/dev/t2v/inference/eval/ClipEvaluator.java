package dev.t2v.inference.eval;

import dev.t2v.inference.ProgressListener;
import dev.t2v.inference.VideoGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The CLIPSIM suite: generates seeded videos for prompts and scores each against its prompt with {@link ClipSim}. */
public final class ClipEvaluator {
    /** Stage name of the per-video progress this evaluator reports. */
    public static final String STAGE = "videos";

    /** A prompt's samples. */
    public record PromptScore(String prompt, List<ClipScore> samples) {
        public PromptScore {
            Objects.requireNonNull(prompt, "prompt");
            samples = List.copyOf(samples);
            if (samples.isEmpty()) {
                throw new IllegalArgumentException("a prompt score needs at least one sample");
            }
        }

        /** Mean CLIPSIM over the samples (raw cosine). */
        public double mean() {
            return samples.stream().mapToDouble(ClipScore::mean).average().orElseThrow();
        }
    }

    /** Scores per prompt, their overall mean (over all videos), and the generation speed. */
    public record Result(List<PromptScore> prompts, Throughput throughput) {
        public Result {
            prompts = List.copyOf(prompts);
            Objects.requireNonNull(throughput, "throughput");
        }

        /** Mean CLIPSIM over every video (raw cosine). */
        public double mean() {
            return prompts.stream().flatMap(p -> p.samples().stream()).mapToDouble(ClipScore::mean).average()
                    .orElse(Double.NaN);
        }

        /** A text table: one row per prompt with raw cosine and ×100, then the mean. */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "%-48s %8s %8s%n", "prompt", "clipsim", "x100"));
            for (PromptScore p : prompts) {
                sb.append(String.format(Locale.ROOT, "%-48s %8.4f %8.2f%n", shorten(p.prompt()), p.mean(), 100 * p.mean()));
            }
            sb.append(String.format(Locale.ROOT, "%-48s %8.4f %8.2f%n", "mean", mean(), 100 * mean()));
            return sb.toString();
        }

        private static String shorten(String s) {
            return s.length() <= 48 ? s : s.substring(0, 45) + "...";
        }
    }

    private ClipEvaluator() {
    }

    public static Result evaluate(VideoGenerator generator, ClipSim clip, List<String> prompts, EvalOptions options,
                                  ProgressListener progress) throws Exception {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(clip, "clip");
        if (prompts == null || prompts.isEmpty()) {
            throw new IllegalArgumentException("the CLIP suite needs at least one prompt");
        }
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        ThroughputMeter meter = new ThroughputMeter(listener);
        int total = prompts.size() * options.samplesPerPrompt();
        int done = 0;
        listener.onProgress(STAGE, 0, total);
        List<PromptScore> out = new ArrayList<>();
        for (String prompt : prompts) {
            List<ClipScore> samples = new ArrayList<>();
            for (int s = 0; s < options.samplesPerPrompt(); s++) {
                samples.add(clip.score(generator.generate(options.request(prompt, done), meter), prompt));
                listener.onProgress(STAGE, ++done, total);
            }
            out.add(new PromptScore(prompt, samples));
        }
        return new Result(out, meter.result());
    }
}
