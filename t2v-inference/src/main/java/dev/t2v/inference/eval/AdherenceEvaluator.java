package dev.t2v.inference.eval;

import dev.t2v.data.synthetic.PromptSpec;
import dev.t2v.data.video.Video;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.ProgressListener;
import dev.t2v.inference.VideoGenerator;
import dev.t2v.inference.eval.synthetic.Adherence;
import dev.t2v.inference.eval.synthetic.AdherenceReport;
import dev.t2v.inference.eval.synthetic.GroundTruth;
import dev.t2v.inference.eval.synthetic.ShapeDetector;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The synthetic-set adherence suite: generates seeded videos for test prompts, reads each back with the
 * {@link ShapeDetector} and scores colour, shape and direction per attribute, objects per frame and flicker, seen and
 * held-out combinations apart. {@link #groundTruth} scores the set's own clips the same way, as the reference.
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
     * scores each as it comes, so no more than one video is held at a time. {@code progress} hears {@code videos i/n}
     * after each video and every generation's own events.
     */
    public static Result evaluate(VideoGenerator generator, List<PromptSpec> prompts, EvalOptions options,
                                  ProgressListener progress) throws Exception {
        Objects.requireNonNull(generator, "generator");
        requirePrompts(prompts);
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        ThroughputMeter meter = new ThroughputMeter(listener);
        Adherence scorer = new Adherence();
        int total = prompts.size() * options.samplesPerPrompt();
        int done = 0;
        listener.onProgress(STAGE, 0, total);
        for (PromptSpec p : prompts) {
            for (int s = 0; s < options.samplesPerPrompt(); s++) {
                GenerationRequest request = options.request(p.prompt(), done);
                scorer.add(p, generator.generate(request, meter), "seed " + request.seed());
                listener.onProgress(STAGE, ++done, total);
            }
        }
        return new Result(scorer.report(), meter.result());
    }

    /**
     * The reference row: each of the synthetic set's {@code clips} ({@link GroundTruth#select}) read as a window of
     * the options' frames at their frame rate and scored like a generated video. {@code progress} hears
     * {@code videos i/n}.
     */
    public static AdherenceReport groundTruth(List<GroundTruth.Clip> clips, EvalOptions options,
                                              ProgressListener progress) throws Exception {
        return groundTruth(clips, options, UnaryOperator.identity(), progress);
    }

    /**
     * The reference row with each clip's window first passed through {@code through}, e.g. a model's codec
     * ({@link dev.t2v.inference.TextToVideoPipeline#reconstruct}): what the best generation could score.
     */
    public static AdherenceReport groundTruth(List<GroundTruth.Clip> clips, EvalOptions options,
                                              UnaryOperator<Video> through, ProgressListener progress)
            throws Exception {
        Objects.requireNonNull(through, "through");
        if (clips == null || clips.isEmpty()) {
            throw new IllegalArgumentException("the ground-truth row needs at least one clip");
        }
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        Adherence scorer = new Adherence();
        int done = 0;
        listener.onProgress(STAGE, 0, clips.size());
        for (GroundTruth.Clip c : clips) {
            scorer.add(c.prompt(), through.apply(GroundTruth.window(c, options.frames(), options.fps())), c.videoId());
            listener.onProgress(STAGE, ++done, clips.size());
        }
        return scorer.report();
    }

    private static void requirePrompts(List<PromptSpec> prompts) {
        if (prompts == null || prompts.isEmpty()) {
            throw new IllegalArgumentException("the adherence suite needs at least one prompt");
        }
    }
}
