package dev.t2v.data.synthetic;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a free prompt ("a crimson disc slides to the right") to the attributes it names, using the captions'
 * vocabulary plus a few common extras. An attribute that is not named, or named twice with different values
 * ("a red or blue circle"), comes back empty. The tests' oracle that captions and paraphrases name (or avoid naming)
 * what they should; nothing in the main code parses prompts.
 */
public final class PromptParser {
    /** Multi-word direction phrases, matched before single words ("from left to right" names right, not left). */
    private static final Map<List<String>, Direction> DIRECTION_PHRASES = Map.of(
            List.of("left", "to", "right"), Direction.RIGHT,
            List.of("right", "to", "left"), Direction.LEFT,
            List.of("bottom", "to", "top"), Direction.UP,
            List.of("top", "to", "bottom"), Direction.DOWN);

    private static final Map<String, Direction> DIRECTION_WORDS = Map.ofEntries(
            Map.entry("left", Direction.LEFT), Map.entry("leftward", Direction.LEFT),
            Map.entry("leftwards", Direction.LEFT),
            Map.entry("right", Direction.RIGHT), Map.entry("rightward", Direction.RIGHT),
            Map.entry("rightwards", Direction.RIGHT),
            Map.entry("up", Direction.UP), Map.entry("upward", Direction.UP), Map.entry("upwards", Direction.UP),
            Map.entry("rise", Direction.UP), Map.entry("rises", Direction.UP), Map.entry("rising", Direction.UP),
            Map.entry("climbs", Direction.UP), Map.entry("climbing", Direction.UP),
            Map.entry("ascends", Direction.UP), Map.entry("ascending", Direction.UP), Map.entry("top", Direction.UP),
            Map.entry("down", Direction.DOWN), Map.entry("downward", Direction.DOWN),
            Map.entry("downwards", Direction.DOWN), Map.entry("falls", Direction.DOWN),
            Map.entry("falling", Direction.DOWN), Map.entry("sinks", Direction.DOWN),
            Map.entry("sinking", Direction.DOWN), Map.entry("drops", Direction.DOWN),
            Map.entry("dropping", Direction.DOWN), Map.entry("descends", Direction.DOWN),
            Map.entry("descending", Direction.DOWN), Map.entry("bottom", Direction.DOWN));

    private static final Map<String, Shape> SHAPE_WORDS = Map.ofEntries(
            Map.entry("circle", Shape.CIRCLE), Map.entry("circles", Shape.CIRCLE), Map.entry("disc", Shape.CIRCLE),
            Map.entry("disk", Shape.CIRCLE), Map.entry("ball", Shape.CIRCLE), Map.entry("dot", Shape.CIRCLE),
            Map.entry("round", Shape.CIRCLE), Map.entry("circular", Shape.CIRCLE),
            Map.entry("square", Shape.SQUARE), Map.entry("squares", Shape.SQUARE), Map.entry("box", Shape.SQUARE),
            Map.entry("block", Shape.SQUARE), Map.entry("tile", Shape.SQUARE),
            Map.entry("triangle", Shape.TRIANGLE), Map.entry("triangles", Shape.TRIANGLE),
            Map.entry("triangular", Shape.TRIANGLE), Map.entry("wedge", Shape.TRIANGLE),
            Map.entry("sided", Shape.TRIANGLE));

    private PromptParser() {}

    /** What a prompt names; each part empty when absent or contradictory. */
    public record ParsedPrompt(Optional<Colour> colour, Optional<Shape> shape, Optional<Direction> direction) {
        /** The combination, when all three parts are named unambiguously. */
        public Optional<Combo> combo() {
            return colour.isPresent() && shape.isPresent() && direction.isPresent()
                    ? Optional.of(new Combo(colour.get(), shape.get(), direction.get()))
                    : Optional.empty();
        }
    }

    public static ParsedPrompt parse(String prompt) {
        List<String> words = new ArrayList<>(List.of(prompt.toLowerCase(Locale.ROOT).split("[^a-z]+")));
        words.removeIf(String::isEmpty);
        Set<Direction> directions = EnumSet.noneOf(Direction.class);
        // Consume the "x to y" phrases first so their words do not also count on their own.
        for (int i = 0; i + 2 < words.size(); i++) {
            Direction d = DIRECTION_PHRASES.get(words.subList(i, i + 3));
            if (d != null) {
                directions.add(d);
                for (int k = 0; k < 3; k++) {
                    words.set(i + k, "");
                }
            }
        }
        Set<Colour> colours = EnumSet.noneOf(Colour.class);
        Set<Shape> shapes = EnumSet.noneOf(Shape.class);
        for (String w : words) {
            Direction d = DIRECTION_WORDS.get(w);
            if (d != null) {
                directions.add(d);
            }
            Shape s = SHAPE_WORDS.get(w);
            if (s != null) {
                shapes.add(s);
            }
            for (Colour c : Colour.values()) {
                if (c.synonyms().contains(w)) {
                    colours.add(c);
                }
            }
        }
        return new ParsedPrompt(single(colours), single(shapes), single(directions));
    }

    private static <T> Optional<T> single(Set<T> found) {
        return found.size() == 1 ? Optional.of(found.iterator().next()) : Optional.empty();
    }
}
