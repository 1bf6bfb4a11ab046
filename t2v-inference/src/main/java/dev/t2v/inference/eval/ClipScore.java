package dev.t2v.inference.eval;

import java.util.Arrays;

/**
 * CLIPSIM of one video against its prompt: the cosine similarity of each frame's CLIP image embedding with the
 * prompt's CLIP text embedding, and their mean.
 *
 * @param frameCosines one cosine per frame, in [-1, 1]
 * @param mean         the mean over frames (the score)
 */
public record ClipScore(double[] frameCosines, double mean) {
    public ClipScore {
        if (frameCosines == null || frameCosines.length == 0) {
            throw new IllegalArgumentException("a CLIP score needs at least one frame");
        }
        frameCosines = frameCosines.clone();
    }

    /** The score from per-frame cosines. */
    public static ClipScore of(double[] frameCosines) {
        return new ClipScore(frameCosines, Arrays.stream(frameCosines).average().orElseThrow());
    }

    @Override
    public double[] frameCosines() {
        return frameCosines.clone();
    }

    /** The score ×100, as papers report CLIPSIM. */
    public double times100() {
        return 100 * mean;
    }
}
