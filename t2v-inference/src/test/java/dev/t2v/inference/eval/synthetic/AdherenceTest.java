package dev.t2v.inference.eval.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.data.synthetic.ClipParams;
import dev.t2v.data.synthetic.Colour;
import dev.t2v.data.synthetic.Combo;
import dev.t2v.data.synthetic.Direction;
import dev.t2v.data.synthetic.PromptSpec;
import dev.t2v.data.synthetic.Shape;
import dev.t2v.data.synthetic.SyntheticSpec;
import dev.t2v.data.video.Video;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdherenceTest {
    private static Video clipOf(Combo combo, long seed) {
        return ClipParams.draw(combo, SyntheticSpec.of(1, 64, 8, 8, seed), new SplittableRandom(seed)).render();
    }

    @Test
    void matchingVideosScoreFullMarksInBothGroups() {
        Combo seen = new Combo(Colour.RED, Shape.CIRCLE, Direction.RIGHT);
        Combo held = new Combo(Colour.RED, Shape.TRIANGLE, Direction.UP);
        List<PromptSpec> prompts = List.of(PromptSpec.canonical(seen), PromptSpec.canonical(held));
        assertThat(prompts.get(1).heldOut()).isTrue();

        AdherenceReport r = Adherence.score(prompts, List.of(clipOf(seen, 1), clipOf(held, 2)));

        for (AdherenceReport.GroupScore g : List.of(r.seen(), r.heldOut())) {
            assertThat(new double[] {g.count(), g.colour(), g.shape(), g.direction(), g.allThree(), g.objectsPerFrame()})
                    .containsExactly(1, 1, 1, 1, 1, 1);
            assertThat(g.colourInterval()).isEqualTo(Interval.wilson(1, 1));
        }
        assertThat(r.all().count()).isEqualTo(2);
        assertThat(r.all().flickerCount()).isEqualTo(2);
        assertThat(r.all().flicker()).isBetween(0.05, 0.6);
        assertThat(r.items()).extracting(AdherenceReport.Item::video).containsExactly("#0", "#1");
    }

    @Test
    void eachAttributeIsScoredOnItsOwn() {
        Combo asked = new Combo(Colour.GREEN, Shape.SQUARE, Direction.LEFT);
        List<PromptSpec> prompts = List.of(PromptSpec.canonical(asked), PromptSpec.canonical(asked),
                PromptSpec.canonical(asked), PromptSpec.canonical(asked));
        List<Video> videos = List.of(
                clipOf(asked, 1),
                clipOf(new Combo(Colour.BLUE, Shape.SQUARE, Direction.LEFT), 2),
                clipOf(new Combo(Colour.GREEN, Shape.CIRCLE, Direction.LEFT), 3),
                clipOf(new Combo(Colour.GREEN, Shape.SQUARE, Direction.DOWN), 4));

        AdherenceReport r = Adherence.score(prompts, videos);

        AdherenceReport.GroupScore seen = r.seen();
        assertThat(new double[] {seen.count(), seen.colour(), seen.shape(), seen.direction(), seen.allThree()})
                .containsExactly(4, 0.75, 0.75, 0.75, 0.25);
        assertThat(seen.colourInterval()).isEqualTo(Interval.wilson(3, 4));
        assertThat(seen.allThreeInterval()).isEqualTo(Interval.wilson(1, 4));
        assertThat(seen.objectsPerFrame()).isEqualTo(1.0);
        assertThat(seen.objectsPerFrameInterval()).isEqualTo(new Interval(1, 1));
        double[] flicker = r.items().stream().mapToDouble(AdherenceReport.Item::flicker).toArray();
        assertThat(seen.flicker()).isCloseTo(java.util.Arrays.stream(flicker).average().orElseThrow(),
                org.assertj.core.data.Offset.offset(1e-12));
        assertThat(seen.flickerInterval()).isEqualTo(Interval.studentT(flicker));
        assertThat(r.heldOut().count()).isZero();
        assertThat(r.heldOut().colour()).isNaN();
        assertThat(r.heldOut().colourInterval()).isEqualTo(Interval.NONE);
        assertThat(r.items().get(1).colourRight()).isFalse();
        assertThat(r.items().get(1).shapeRight()).isTrue();
        assertThat(r.format()).contains("seen", "75.0% [30.1-95.4]", "25.0% [4.6-69.9]", "1.00 [1.00-1.00]",
                "objects/frame", "flicker", "Wilson").containsPattern("held-out\\s+0\\s+-");
    }

    @Test
    void promptAndVideoCountsMustMatch() {
        assertThatThrownBy(() -> Adherence.score(List.of(PromptSpec.canonical(Combo.all().get(0))), List.of()))
                .hasMessage("expected one video per prompt, got 1 prompts and 0 videos");
    }
}
