package dev.t2v.inference;

/**
 * How the initial noise of a video longer than the model's window is drawn.
 *
 * <p>{@link #FREENOISE} follows FreeNoise (Qiu et al. 2024, "noise rescheduling"): the first window gets fresh noise,
 * and every later block of {@code stride} frames reuses the noise frames of the block one window earlier, in a seeded
 * random order. Every window then sees a permutation of noise the model has seen together, which keeps the content
 * of far-apart windows related (the long video stays one scene) while the shuffle still lets them move. With
 * {@link #INDEPENDENT} each frame has its own noise: more variety, but distant windows drift apart.
 */
public enum LongVideoNoise {
    INDEPENDENT,
    FREENOISE
}
