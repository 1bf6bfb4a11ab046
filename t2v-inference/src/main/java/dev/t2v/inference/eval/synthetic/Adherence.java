package dev.t2v.inference.eval.synthetic;

import dev.t2v.data.synthetic.PromptSpec;
import dev.t2v.data.video.Video;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The adherence check: do videos show what their prompts asked for? Each video is read back by a
 * {@link ShapeDetector} as it is added, and compared attribute by attribute with its prompt's combination; only the
 * readings are kept, so a long evaluation holds one video at a time.
 */
public final class Adherence {
    private final ShapeDetector detector;
    private final List<AdherenceReport.Item> items = new ArrayList<>();

    /** A scorer with the default detector. */
    public Adherence() {
        this(new ShapeDetector());
    }

    public Adherence(ShapeDetector detector) {
        this.detector = Objects.requireNonNull(detector, "detector");
    }

    /** Reads {@code video}, made for {@code prompt}; {@code name} says where it came from ("seed 103", "video12"). */
    public void add(PromptSpec prompt, Video video, String name) {
        items.add(new AdherenceReport.Item(prompt, detector.detect(video), name));
    }

    /** The report of the videos added so far. */
    public AdherenceReport report() {
        return AdherenceReport.of(items);
    }

    /** Scores {@code videos.get(i)} (named {@code #i}) against {@code prompts.get(i)} with the default detector. */
    public static AdherenceReport score(List<PromptSpec> prompts, List<Video> videos) {
        return score(prompts, videos, new ShapeDetector());
    }

    public static AdherenceReport score(List<PromptSpec> prompts, List<Video> videos, ShapeDetector detector) {
        if (prompts.size() != videos.size()) {
            throw new IllegalArgumentException("expected one video per prompt, got " + prompts.size() + " prompts and "
                    + videos.size() + " videos");
        }
        Adherence scorer = new Adherence(detector);
        for (int i = 0; i < prompts.size(); i++) {
            scorer.add(prompts.get(i), videos.get(i), "#" + i);
        }
        return scorer.report();
    }
}
