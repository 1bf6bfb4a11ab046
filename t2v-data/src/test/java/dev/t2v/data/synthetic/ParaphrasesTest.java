package dev.t2v.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ParaphrasesTest {
    /** The only words a paraphrase shares with the captions: articles, "to", the shape nouns, left and right. */
    private static final Set<String> SHARED = Set.of("a", "an", "the", "to", "circle", "square", "triangle", "left",
            "right");

    /** Every word the synthetic set's captions can contain: templates and all synonyms and motion phrases. */
    private static Set<String> captionVocabulary() {
        Set<String> out = new TreeSet<>();
        Stream.of(Captions.TEMPLATES.stream().map(t -> t.replaceAll("\\{[a-z]}", " ")),
                        Arrays.stream(Colour.values()).flatMap(c -> c.synonyms().stream()),
                        Arrays.stream(Shape.values()).flatMap(s -> s.synonyms().stream()),
                        Arrays.stream(Direction.values()).flatMap(d -> d.participles().stream()),
                        Arrays.stream(Direction.values()).flatMap(d -> d.finites().stream()))
                .flatMap(s -> s)
                .forEach(s -> out.addAll(words(s)));
        return out;
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z]+")).filter(w -> !w.isEmpty()).toList();
    }

    @Test
    void paraphrasesUseNoCaptionWordBeyondArticlesShapeNounsAndLeftRight() {
        Set<String> vocabulary = captionVocabulary();
        assertThat(vocabulary).contains("crimson", "drifting", "gliding", "leftwards", "animation", "coloured");
        for (PromptSpec p : PromptsTsv.paraphrases()) {
            assertThat(words(p.prompt()).stream().filter(w -> !SHARED.contains(w)).filter(vocabulary::contains))
                    .as("caption words in \"%s\"", p.prompt()).isEmpty();
        }
    }

    @Test
    void noParaphraseNamesItsColourOrMotionTheWayCaptionsDo() {
        // The same check seen from the parser, which knows the captions' words plus a few extras: it finds no colour
        // and no up/down motion word in any paraphrase.
        for (PromptSpec p : PromptsTsv.paraphrases()) {
            PromptParser.ParsedPrompt parsed = PromptParser.parse(p.prompt());
            assertThat(parsed.colour()).as(p.prompt()).isEmpty();
            if (p.combo().direction() == Direction.UP || p.combo().direction() == Direction.DOWN) {
                assertThat(parsed.direction()).as(p.prompt()).isEmpty();
            }
        }
    }

    @Test
    void twoParaphrasesOfEachHeldOutCombinationAndOfNineSeenOnesWithTheirGroups() {
        List<PromptSpec> all = PromptsTsv.paraphrases();
        Map<Combo, Integer> perCombo = new HashMap<>();
        all.forEach(p -> perCombo.merge(p.combo(), 1, Integer::sum));
        assertThat(perCombo.values()).containsOnly(2);
        assertThat(all).allSatisfy(p -> assertThat(p.heldOut()).isEqualTo(Combo.DEFAULT_HELD_OUT.contains(p.combo())));
        assertThat(all.stream().filter(PromptSpec::heldOut).map(PromptSpec::combo).distinct())
                .containsExactlyInAnyOrderElementsOf(Combo.DEFAULT_HELD_OUT);
        assertThat(all.stream().filter(p -> !p.heldOut()).map(PromptSpec::combo).distinct()).hasSize(9);
        assertThat(all.stream().map(PromptSpec::prompt).distinct()).hasSize(all.size());
        // Each colour, shape and direction is asked for among the seen ones too.
        List<Combo> seen = all.stream().filter(p -> !p.heldOut()).map(PromptSpec::combo).toList();
        assertThat(seen.stream().map(Combo::colour).distinct()).hasSize(Colour.values().length);
        assertThat(seen.stream().map(Combo::shape).distinct()).hasSize(Shape.values().length);
        assertThat(seen.stream().map(Combo::direction).distinct()).hasSize(Direction.values().length);
    }
}
