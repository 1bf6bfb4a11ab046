package dev.t2v.data.synthetic;

import dev.t2v.data.video.Video;
import java.util.ArrayList;
import java.util.List;

/**
 * The adherence check: do generated videos show what their prompts asked for? Each video is read back by a
 * {@link ShapeDetector} and compared attribute by attribute with its prompt's combination.
 */
public final class Adherence {
    private Adherence() {}

    /** Scores {@code videos.get(i)} against {@code prompts.get(i)} with the default detector. */
    public static AdherenceReport score(List<PromptSpec> prompts, List<Video> videos) {
        return score(prompts, videos, new ShapeDetector());
    }

    public static AdherenceReport score(List<PromptSpec> prompts, List<Video> videos, ShapeDetector detector) {
        if (prompts.size() != videos.size()) {
            throw new IllegalArgumentException("expected one video per prompt, got " + prompts.size() + " prompts and "
                    + videos.size() + " videos");
        }
        List<AdherenceReport.Item> items = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            items.add(new AdherenceReport.Item(prompts.get(i), detector.detect(videos.get(i))));
        }
        return AdherenceReport.of(items);
    }
}
