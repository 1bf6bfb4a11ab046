package dev.t2v.data.synthetic;

/**
 * How clips look and move, as fractions of the frame size so a spec scales with {@code size}.
 *
 * @param minShape smallest nominal shape size s (circle diameter)
 * @param maxShape largest nominal shape size s
 * @param minSpeed slowest motion per frame; the default 0.022 moves a 128-px shape 22 px in 8 frames
 * @param maxSpeed fastest motion per frame (capped per clip so the shape stays inside the frame for all frames)
 * @param margin gap between the shape and the frame edge, which keeps the border a clean background sample
 * @param minBackground darkest background grey level (0–255); backgrounds are neutral grey so hue is unaffected
 * @param maxBackground lightest background grey level
 * @param brightnessJitter shape colours are scaled by a factor in [1 - jitter, 1] per clip
 * @param supersample anti-aliasing: samples per pixel along each axis
 */
public record ClipStyle(
        double minShape,
        double maxShape,
        double minSpeed,
        double maxSpeed,
        double margin,
        int minBackground,
        int maxBackground,
        double brightnessJitter,
        int supersample) {

    /** The moving-shapes set's look. */
    public static final ClipStyle DEFAULT = new ClipStyle(0.16, 0.26, 0.022, 0.035, 0.04, 16, 40, 0.15, 8);
    /**
     * Larger shapes that move faster: 4.5–6.4 latent pixels wide at 128² under an 8× codec instead of 2.5–4, so that
     * a circle, a square and a triangle differ in more than one latent pixel, and 0.8–1.2 latent pixels a frame (5–8
     * over 8 frames), so that the direction is more than a sub-pixel shift between frames. What the bundled demo model
     * is trained on; with 8-frame clips the per-clip cap rarely binds, with 16 it does.
     */
    public static final ClipStyle LARGE = new ClipStyle(0.28, 0.40, 0.05, 0.075, 0.04, 16, 40, 0.15, 8);

    /** The named styles: {@code default}, {@code large}. */
    public static ClipStyle named(String name) {
        return switch (name) {
            case "default" -> DEFAULT;
            case "large" -> LARGE;
            default -> throw new IllegalArgumentException("unknown style '" + name + "'; known: default, large");
        };
    }

    public ClipStyle {
        if (!(minShape > 0 && minShape <= maxShape && maxShape <= 0.5)) {
            throw new IllegalArgumentException("expected 0 < minShape <= maxShape <= 0.5, got " + minShape + ", " + maxShape);
        }
        if (!(minSpeed > 0 && minSpeed <= maxSpeed && maxSpeed <= 0.25)) {
            throw new IllegalArgumentException("expected 0 < minSpeed <= maxSpeed <= 0.25, got " + minSpeed + ", " + maxSpeed);
        }
        if (!(margin >= 0 && margin <= 0.1)) {
            throw new IllegalArgumentException("expected margin in [0, 0.1], got " + margin);
        }
        if (minBackground < 0 || minBackground > maxBackground || maxBackground > 96) {
            throw new IllegalArgumentException("expected 0 <= minBackground <= maxBackground <= 96 (a dark background), got "
                    + minBackground + ", " + maxBackground);
        }
        if (!(brightnessJitter >= 0 && brightnessJitter <= 0.4)) {
            throw new IllegalArgumentException("expected brightnessJitter in [0, 0.4], got " + brightnessJitter);
        }
        if (supersample < 1 || supersample > 16) {
            throw new IllegalArgumentException("expected supersample in [1, 16], got " + supersample);
        }
    }
}
