package dev.t2v.data.synthetic;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The shapes of the moving-shapes set. Squares are axis-aligned and triangles point up, so each shape has a fixed
 * fill ratio (area over bounding-box area) that the evaluation's shape detector reads back: circle π/4, square 1,
 * triangle 1/2.
 */
public enum Shape {
    /** A disc of diameter s. */
    CIRCLE(0.5, 0.5, List.of("circle", "disc", "disk", "ball", "dot", "round shape", "circular shape")),
    /** An axis-aligned square of side 0.9 s (about the circle's area). */
    SQUARE(0.45, 0.45, List.of("square", "box", "block", "tile", "square shape")),
    /** An equilateral triangle of side 1.1 s, apex up. */
    TRIANGLE(0.55, 0.55 * Math.sqrt(3) / 2, List.of("triangle", "triangular shape", "three-sided shape", "wedge"));

    private final double halfWidth;
    private final double halfHeight;
    private final List<String> synonyms;

    Shape(double halfWidth, double halfHeight, List<String> synonyms) {
        this.halfWidth = halfWidth;
        this.halfHeight = halfHeight;
        this.synonyms = synonyms;
    }

    /** Half the bounding-box width as a fraction of the nominal size s. */
    public double halfWidth() {
        return halfWidth;
    }

    /** Half the bounding-box height as a fraction of the nominal size s. */
    public double halfHeight() {
        return halfHeight;
    }

    /** The canonical word: {@code circle}, {@code square}, {@code triangle}. */
    public String word() {
        return synonyms.get(0);
    }

    /** The canonical noun first, then the noun phrases used in captions. */
    public List<String> synonyms() {
        return synonyms;
    }

    /**
     * Whether the point (px, py) is inside this shape of nominal size {@code s} whose bounding box is centred on
     * (cx, cy). Image coordinates: y grows downward.
     */
    boolean contains(double px, double py, double cx, double cy, double s) {
        double dx = px - cx;
        double dy = py - cy;
        switch (this) {
            case CIRCLE -> {
                double r = halfWidth * s;
                return dx * dx + dy * dy <= r * r;
            }
            case SQUARE -> {
                double h = halfWidth * s;
                return Math.abs(dx) <= h && Math.abs(dy) <= h;
            }
            default -> {
                double hw = halfWidth * s;
                double hh = halfHeight * s;
                if (dy > hh || dy < -hh) {
                    return false;
                }
                // Apex at (0, -hh), base from (-hw, hh) to (hw, hh): the half-width grows linearly downward.
                double allowed = hw * (dy + hh) / (2 * hh);
                return Math.abs(dx) <= allowed;
            }
        }
    }

    /** The shape whose canonical word is {@code word} (case-insensitive). */
    public static Optional<Shape> fromWord(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        for (Shape s : values()) {
            if (s.word().equals(w)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
