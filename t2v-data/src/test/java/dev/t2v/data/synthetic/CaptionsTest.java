package dev.t2v.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaptionsTest {
    @Test
    void everyCaptionNamesItsColourShapeAndDirection() {
        for (Combo combo : Combo.all()) {
            for (long seed = 0; seed < 5; seed++) {
                List<String> captions = Captions.write(combo, 20, new SplittableRandom(seed));
                assertThat(captions).hasSize(20).doesNotHaveDuplicates();
                for (String c : captions) {
                    assertThat(PromptParser.parse(c).combo()).as(c).isEqualTo(Optional.of(combo));
                }
            }
        }
    }

    @Test
    void firstCaptionIsTheCanonicalPrompt() {
        Combo combo = new Combo(Colour.RED, Shape.CIRCLE, Direction.RIGHT);
        assertThat(Captions.write(combo, 20, new SplittableRandom(3)).get(0)).isEqualTo("a red circle moving right");
        assertThat(combo.canonicalPrompt()).isEqualTo("a red circle moving right");
    }

    @Test
    void captionsUseEverySynonymTemplateAndPhrase() {
        Set<String> words = new HashSet<>();
        Set<String> all = new HashSet<>();
        SplittableRandom rng = new SplittableRandom(1);
        for (Combo combo : Combo.all()) {
            for (String c : Captions.write(combo, 20, rng)) {
                all.add(c);
                words.addAll(List.of(c.split(" ")));
            }
        }
        assertThat(all).hasSize(72 * 20);
        for (Colour c : Colour.values()) {
            assertThat(words).containsAll(c.synonyms());
        }
        assertThat(words).contains("disc", "box", "wedge", "round", "triangular", "rightward", "rises", "descends",
                "backdrop", "animation", "steadily", "coloured");
    }

    @Test
    void articleAgreesWithTheNextWord() {
        assertThat(Captions.withArticles("{a} emerald disc and {a} red box and {a}  amethyst dot"))
                .isEqualTo("an emerald disc and a red box and an  amethyst dot");
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 2000; i++) {
            String c = Captions.one(new Combo(Colour.GREEN, Shape.TRIANGLE, Direction.UP), rng);
            assertThat(c).doesNotContain("{").doesNotContain(" a emerald").doesNotContain("an lime");
        }
    }

    @Test
    void askingForNoCaptionsIsRejected() {
        assertThatThrownBy(() -> Captions.write(new Combo(Colour.RED, Shape.SQUARE, Direction.UP), 0, new SplittableRandom(0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultHeldOutIsAnEighthAndKeepsEveryPartAndPairSeen() {
        Set<Combo> held = Combo.DEFAULT_HELD_OUT;
        assertThat(held).hasSize(9);
        assertThat(Combo.coverageProblem(held)).isNull();
        List<Combo> seen = Combo.all().stream().filter(c -> !held.contains(c)).toList();
        for (Combo h : held) {
            assertThat(seen).as("colour-shape pair of " + h)
                    .anyMatch(c -> c.colour() == h.colour() && c.shape() == h.shape());
            assertThat(seen).as("colour-direction pair of " + h)
                    .anyMatch(c -> c.colour() == h.colour() && c.direction() == h.direction());
            assertThat(seen).as("shape-direction pair of " + h)
                    .anyMatch(c -> c.shape() == h.shape() && c.direction() == h.direction());
        }
        for (Shape s : Shape.values()) {
            assertThat(held.stream().filter(c -> c.shape() == s)).hasSize(3);
        }
        assertThat(held).doesNotContain(new Combo(Colour.RED, Shape.CIRCLE, Direction.RIGHT));
    }

    @Test
    void holdingOutAWholeColourIsReported() {
        Set<Combo> allRed = new HashSet<>();
        for (Combo c : Combo.all()) {
            if (c.colour() == Colour.RED) {
                allRed.add(c);
            }
        }
        assertThat(Combo.coverageProblem(allRed)).contains("colour").contains("RED");
        assertThat(EnumSet.allOf(Colour.class)).hasSize(6);
    }
}
