package dev.t2v.data.synthetic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A colour × shape × direction combination: what one clip shows and what one prompt asks for. */
public record Combo(Colour colour, Shape shape, Direction direction) implements Comparable<Combo> {
    private static final Comparator<Combo> ORDER = Comparator.comparing(Combo::colour)
            .thenComparing(Combo::shape).thenComparing(Combo::direction);

    /**
     * The combinations never put in the training split by default (9 of 72, 12.5 %). Chosen by hand so that every
     * colour, shape and direction, and every pair of them (colour–shape, colour–direction, shape–direction), is
     * still seen in training: a held-out prompt asks for a new composition of familiar parts. Three per shape, two
     * or three per direction, at most two per colour; "a red circle moving right" (the README's demo prompt) stays
     * seen.
     */
    public static final Set<Combo> DEFAULT_HELD_OUT = Set.of(
            new Combo(Colour.RED, Shape.TRIANGLE, Direction.UP),
            new Combo(Colour.YELLOW, Shape.SQUARE, Direction.LEFT),
            new Combo(Colour.GREEN, Shape.CIRCLE, Direction.DOWN),
            new Combo(Colour.GREEN, Shape.TRIANGLE, Direction.LEFT),
            new Combo(Colour.CYAN, Shape.TRIANGLE, Direction.RIGHT),
            new Combo(Colour.BLUE, Shape.SQUARE, Direction.UP),
            new Combo(Colour.BLUE, Shape.CIRCLE, Direction.RIGHT),
            new Combo(Colour.PURPLE, Shape.CIRCLE, Direction.LEFT),
            new Combo(Colour.PURPLE, Shape.SQUARE, Direction.DOWN));

    public Combo {
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(direction, "direction");
    }

    /** All 72 combinations in enum order (colour, then shape, then direction). */
    public static List<Combo> all() {
        List<Combo> out = new ArrayList<>();
        for (Colour c : Colour.values()) {
            for (Shape s : Shape.values()) {
                for (Direction d : Direction.values()) {
                    out.add(new Combo(c, s, d));
                }
            }
        }
        return List.copyOf(out);
    }

    /** "a red circle moving right": the canonical prompt, as used in prompts.tsv and as every clip's first caption. */
    public String canonicalPrompt() {
        return "a " + colour.word() + " " + shape.word() + " " + direction.participles().get(0);
    }

    /**
     * Checks that, with {@code heldOut} removed, every colour, shape and direction still occurs in some combination;
     * returns a problem description or null.
     */
    static String coverageProblem(Set<Combo> heldOut) {
        EnumSet<Colour> colours = EnumSet.noneOf(Colour.class);
        EnumSet<Shape> shapes = EnumSet.noneOf(Shape.class);
        EnumSet<Direction> directions = EnumSet.noneOf(Direction.class);
        for (Combo c : all()) {
            if (!heldOut.contains(c)) {
                colours.add(c.colour);
                shapes.add(c.shape);
                directions.add(c.direction);
            }
        }
        if (colours.size() < Colour.values().length) {
            return "held-out combinations leave no training clip for colour(s) " + EnumSet.complementOf(colours);
        }
        if (shapes.size() < Shape.values().length) {
            return "held-out combinations leave no training clip for shape(s) " + EnumSet.complementOf(shapes);
        }
        if (directions.size() < Direction.values().length) {
            return "held-out combinations leave no training clip for direction(s) "
                    + EnumSet.complementOf(directions);
        }
        return null;
    }

    @Override
    public int compareTo(Combo o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return colour.word() + " " + shape.word() + " " + direction.word();
    }
}
