package dev.t2v.core.bundle;

/**
 * The clips a model was trained on ({@code model.json}'s {@code video} object): its frame window, frame rate and frame
 * size in pixels.
 */
public record VideoSpec(int frames, double fps, int size) {
    public VideoSpec {
        if (frames < 1) {
            throw new IllegalArgumentException("video frames must be >= 1, got " + frames);
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("video fps must be finite and > 0, got " + fps);
        }
        if (size < 1) {
            throw new IllegalArgumentException("video size must be >= 1, got " + size);
        }
    }
}
