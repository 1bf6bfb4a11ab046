package dev.t2v.data.synthetic;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a shape moves, in image coordinates (y grows downward), with the verb phrases captions use: a participle
 * form ("moving right") and a finite form ("moves right") at the same index.
 */
public enum Direction {
    LEFT(-1, 0,
            List.of("moving left", "moving to the left", "sliding to the left", "travelling leftward",
                    "heading left", "drifting leftwards", "moving from right to left", "gliding toward the left edge",
                    "going left"),
            List.of("moves left", "moves to the left", "slides to the left", "travels leftward", "heads left",
                    "drifts leftwards", "moves from right to left", "glides toward the left edge", "goes left")),
    RIGHT(1, 0,
            List.of("moving right", "moving to the right", "sliding to the right", "travelling rightward",
                    "heading right", "drifting rightwards", "moving from left to right",
                    "gliding toward the right edge", "going right"),
            List.of("moves right", "moves to the right", "slides to the right", "travels rightward", "heads right",
                    "drifts rightwards", "moves from left to right", "glides toward the right edge", "goes right")),
    UP(0, -1,
            List.of("moving up", "moving upward", "rising", "climbing toward the top", "travelling upwards",
                    "floating up", "moving from bottom to top", "ascending", "heading up"),
            List.of("moves up", "moves upward", "rises", "climbs toward the top", "travels upwards", "floats up",
                    "moves from bottom to top", "ascends", "heads up")),
    DOWN(0, 1,
            List.of("moving down", "moving downward", "falling", "sinking toward the bottom", "travelling downwards",
                    "dropping down", "moving from top to bottom", "descending", "heading down"),
            List.of("moves down", "moves downward", "falls", "sinks toward the bottom", "travels downwards",
                    "drops down", "moves from top to bottom", "descends", "heads down"));

    private final int dx;
    private final int dy;
    private final List<String> participles;
    private final List<String> finites;

    Direction(int dx, int dy, List<String> participles, List<String> finites) {
        if (participles.size() != finites.size()) {
            throw new IllegalStateException("participle and finite phrases must pair up");
        }
        this.dx = dx;
        this.dy = dy;
        this.participles = participles;
        this.finites = finites;
    }

    /** Unit step along x per unit of motion (-1, 0 or 1). */
    public int dx() {
        return dx;
    }

    /** Unit step along y per unit of motion (-1, 0 or 1; +1 is down). */
    public int dy() {
        return dy;
    }

    /** The canonical word: {@code left}, {@code right}, {@code up}, {@code down}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Participle phrases, canonical ("moving right") first. */
    public List<String> participles() {
        return participles;
    }

    /** Finite phrases, in the same order as {@link #participles()}. */
    public List<String> finites() {
        return finites;
    }

    /** The direction whose canonical word is {@code word} (case-insensitive). */
    public static Optional<Direction> fromWord(String word) {
        String w = word.trim().toLowerCase(Locale.ROOT);
        for (Direction d : values()) {
            if (d.word().equals(w)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
