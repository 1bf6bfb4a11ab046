package dev.t2v.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromptParserTest {
    private static Optional<Combo> combo(String prompt) {
        return PromptParser.parse(prompt).combo();
    }

    @Test
    void readsFreePromptsThroughSynonyms() {
        assertThat(combo("a red circle moving right")).contains(new Combo(Colour.RED, Shape.CIRCLE, Direction.RIGHT));
        assertThat(combo("A crimson disc slides to the right.")).contains(new Combo(Colour.RED, Shape.CIRCLE, Direction.RIGHT));
        assertThat(combo("red round shape travelling rightward")).contains(new Combo(Colour.RED, Shape.CIRCLE, Direction.RIGHT));
        assertThat(combo("the teal three-sided shape descends")).contains(new Combo(Colour.CYAN, Shape.TRIANGLE, Direction.DOWN));
        assertThat(combo("violet box climbing toward the top")).contains(new Combo(Colour.PURPLE, Shape.SQUARE, Direction.UP));
    }

    @Test
    void fromToPhrasesNameTheirDestination() {
        assertThat(combo("a blue square moving from right to left")).contains(new Combo(Colour.BLUE, Shape.SQUARE, Direction.LEFT));
        assertThat(combo("a blue square moving from left to right")).contains(new Combo(Colour.BLUE, Shape.SQUARE, Direction.RIGHT));
        assertThat(combo("a lime dot moving from top to bottom")).contains(new Combo(Colour.GREEN, Shape.CIRCLE, Direction.DOWN));
        assertThat(combo("a lime dot moving from bottom to top")).contains(new Combo(Colour.GREEN, Shape.CIRCLE, Direction.UP));
    }

    @Test
    void missingOrContradictoryPartsAreEmpty() {
        PromptParser.ParsedPrompt p = PromptParser.parse("a red or blue circle");
        assertThat(p.colour()).isEmpty();
        assertThat(p.shape()).contains(Shape.CIRCLE);
        assertThat(p.direction()).isEmpty();
        assertThat(p.combo()).isEmpty();
        assertThat(PromptParser.parse("a cat moving up and down").direction()).isEmpty();
        assertThat(PromptParser.parse("").combo()).isEmpty();
    }
}
