package dev.t2v.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

        assertThat(r.seen()).isEqualTo(new AdherenceReport.GroupScore(1, 1, 1, 1, 1));
        assertThat(r.heldOut()).isEqualTo(new AdherenceReport.GroupScore(1, 1, 1, 1, 1));
        assertThat(r.all().count()).isEqualTo(2);
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

        assertThat(r.seen()).isEqualTo(new AdherenceReport.GroupScore(4, 0.75, 0.75, 0.75, 0.25));
        assertThat(r.heldOut().count()).isZero();
        assertThat(r.heldOut().colour()).isNaN();
        assertThat(r.items().get(1).colourRight()).isFalse();
        assertThat(r.items().get(1).shapeRight()).isTrue();
        assertThat(r.format()).contains("seen", "75.0%", "25.0%").containsPattern("held-out\\s+0\\s+-");
    }

    @Test
    void promptAndVideoCountsMustMatch() {
        assertThatThrownBy(() -> Adherence.score(List.of(PromptSpec.canonical(Combo.all().get(0))), List.of()))
                .hasMessage("expected one video per prompt, got 1 prompts and 0 videos");
    }
}
