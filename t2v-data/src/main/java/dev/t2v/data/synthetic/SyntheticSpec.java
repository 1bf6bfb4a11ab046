package dev.t2v.data.synthetic;

import java.util.Objects;
import java.util.Set;

/**
 * What {@link SyntheticSet#generate} writes.
 *
 * @param videos number of clips
 * @param size frame width and height in pixels, a multiple of 16 in [32, 512] (H.264 macroblocks; VAE ×8 ×patch 2)
 * @param frames frames per clip, in [2, 64]
 * @param fps frame rate written to the MP4, in [1, 60]
 * @param seed every random draw derives from it: the same spec gives identical files
 * @param captionsPerVideo captions per clip, in [1, 50] (MSR-VTT has 20)
 * @param validateFraction share of the seen combinations' clips drawn into the validate split
 * @param testFraction share of the seen combinations' clips drawn into the test split
 * @param heldOut combinations never in the training split (all their clips go to test); with them removed every
 *     colour, shape and direction must still occur
 * @param style look and motion ranges
 */
public record SyntheticSpec(
        int videos,
        int size,
        int frames,
        double fps,
        long seed,
        int captionsPerVideo,
        double validateFraction,
        double testFraction,
        Set<Combo> heldOut,
        ClipStyle style) {

    public static final int MIN_SIZE = 32;
    public static final int MAX_SIZE = 512;
    public static final int MIN_FRAMES = 2;
    public static final int MAX_FRAMES = 64;
    public static final int MAX_VIDEOS = 1_000_000;

    public SyntheticSpec {
        if (videos < 1 || videos > MAX_VIDEOS) {
            throw new IllegalArgumentException("videos must be in [1, " + MAX_VIDEOS + "], got " + videos);
        }
        if (size < MIN_SIZE || size > MAX_SIZE || size % 16 != 0) {
            throw new IllegalArgumentException("size must be a multiple of 16 in [" + MIN_SIZE + ", " + MAX_SIZE + "], got " + size);
        }
        if (frames < MIN_FRAMES || frames > MAX_FRAMES) {
            throw new IllegalArgumentException("frames must be in [" + MIN_FRAMES + ", " + MAX_FRAMES + "], got " + frames);
        }
        if (!(fps >= 1 && fps <= 60)) {
            throw new IllegalArgumentException("fps must be in [1, 60], got " + fps);
        }
        if (captionsPerVideo < 1 || captionsPerVideo > 50) {
            throw new IllegalArgumentException("captionsPerVideo must be in [1, 50], got " + captionsPerVideo);
        }
        if (!(validateFraction >= 0 && testFraction >= 0 && validateFraction + testFraction < 1)) {
            throw new IllegalArgumentException("expected validateFraction, testFraction >= 0 with a sum below 1, got "
                    + validateFraction + ", " + testFraction);
        }
        heldOut = Set.copyOf(Objects.requireNonNull(heldOut, "heldOut"));
        String problem = Combo.coverageProblem(heldOut);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Objects.requireNonNull(style, "style");
    }

    /** The default set's spec: 20 captions, 10 % validate and 10 % test of the seen clips, the default held-out list. */
    public static SyntheticSpec of(int videos, int size, int frames, double fps, long seed) {
        return new SyntheticSpec(videos, size, frames, fps, seed, 20, 0.1, 0.1, Combo.DEFAULT_HELD_OUT, ClipStyle.DEFAULT);
    }

    /** {@code t2v synth}'s defaults: 128×128, 16 frames at 8 fps, seed 0. */
    public static SyntheticSpec defaults(int videos) {
        return of(videos, 128, 16, 8, 0);
    }

    public SyntheticSpec withStyle(ClipStyle newStyle) {
        return new SyntheticSpec(videos, size, frames, fps, seed, captionsPerVideo, validateFraction, testFraction,
                heldOut, newStyle);
    }

    public SyntheticSpec withCaptionsPerVideo(int n) {
        return new SyntheticSpec(videos, size, frames, fps, seed, n, validateFraction, testFraction, heldOut, style);
    }
}
