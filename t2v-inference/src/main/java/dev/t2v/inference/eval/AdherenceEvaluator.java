package dev.t2v.inference.eval;

import dev.t2v.data.synthetic.Adherence;
import dev.t2v.data.synthetic.AdherenceReport;
import dev.t2v.data.synthetic.PromptSpec;
import dev.t2v.data.synthetic.ShapeDetector;
import dev.t2v.data.video.Video;
import dev.t2v.inference.ProgressListener;
import dev.t2v.inference.VideoGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The synthetic-set adherence suite: generates seeded videos for test prompts, reads each back with the
 * {@link ShapeDetector} and scores colour, shape and direction per attribute, seen and held-out combinations apart.
 */
public final class AdherenceEvaluator {
    /** Stage name of the per-video progress this evaluator reports. */
    public static final String STAGE = "videos";

    /** The scores, and how fast the videos came. */
    public record Result(AdherenceReport report, Throughput throughput) {
        public Result {
            Objects.requireNonNull(report, "report");
            Objects.requireNonNull(throughput, "throughput");
        }
    }

    private AdherenceEvaluator() {
    }

    /**
     * Generates {@link EvalOptions#samplesPerPrompt()} videos per prompt (prompt-major, seeds {@code seed + i}) and
     * scores them. {@code progress} hears {@code videos i/n} after each video and every generation's own events.
     */
    public static Result evaluate(VideoGenerator generator, List<PromptSpec> prompts, EvalOptions options,
                                  ProgressListener progress) throws Exception {
        Objects.requireNonNull(generator, "generator");
        if (prompts == null || prompts.isEmpty()) {
            throw new IllegalArgumentException("the adherence suite needs at least one prompt");
        }
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        ThroughputMeter meter = new ThroughputMeter(listener);
        int total = prompts.size() * options.samplesPerPrompt();
        List<PromptSpec> specs = new ArrayList<>(total);
        List<Video> videos = new ArrayList<>(total);
        listener.onProgress(STAGE, 0, total);
        for (PromptSpec p : prompts) {
            for (int s = 0; s < options.samplesPerPrompt(); s++) {
                videos.add(generator.generate(options.request(p.prompt(), videos.size()), meter));
                specs.add(p);
                listener.onProgress(STAGE, videos.size(), total);
            }
        }
        return new Result(Adherence.score(specs, videos), meter.result());
    }
}
