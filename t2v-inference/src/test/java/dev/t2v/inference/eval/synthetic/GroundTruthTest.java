package dev.t2v.inference.eval.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.synthetic.ClipStyle;
import dev.t2v.data.synthetic.Combo;
import dev.t2v.data.synthetic.PlannedClip;
import dev.t2v.data.synthetic.PromptSpec;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import dev.t2v.data.video.Video;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {
    @TempDir
    static Path dir;
    static Path synth;
    static SyntheticSet.Result written;

    @BeforeAll
    static void writeSet() throws IOException {
        // 90 clips of 12 frames at 64×64: every combination once, 18 of them twice.
        synth = dir.resolve("synth");
        written = SyntheticSet.generate(synth, SyntheticSpec.of(90, 64, 12, 8, 31), ProgressBar.silent());
    }

    @Test
    void theSetsOwnClipsReadAlmostAllRightWithOneObjectPerFrame() throws IOException {
        List<PromptSpec> prompts = Combo.all().stream().map(PromptSpec::canonical).toList();
        List<GroundTruth.Clip> clips = GroundTruth.select(synth, prompts, 2);
        assertThat(clips).hasSize(90);
        assertThat(clips.stream().map(GroundTruth.Clip::videoId).distinct()).hasSize(90);
        Adherence scorer = new Adherence();
        for (GroundTruth.Clip c : clips) {
            Video window = GroundTruth.window(c, 8, 8);
            assertThat(window.frameCount()).isEqualTo(8);
            assertThat(window.width()).isEqualTo(64);
            scorer.add(c.prompt(), window, c.videoId());
        }
        AdherenceReport r = scorer.report();
        assertThat(r.all().count()).isEqualTo(90);
        assertThat(r.heldOut().count()).isEqualTo((int) written.heldOutClips());
        assertThat(r.all().allThree()).isGreaterThanOrEqualTo(0.99);
        assertThat(r.all().objectsPerFrame()).isBetween(0.99, 1.01);
        assertThat(r.all().flickerCount()).isEqualTo(90);
        assertThat(r.all().flicker()).isBetween(0.1, 0.6);
        assertThat(r.all().flickerInterval().low()).isLessThan(r.all().flicker());
    }

    @Test
    void clipsAreTheSetsFirstOfTheCombinationInVideoOrderAndCappedByWhatItHas() throws IOException {
        Combo combo = written.clips().get(80).combo();
        PromptSpec prompt = new PromptSpec("anything at all", combo, false);
        List<GroundTruth.Clip> clips = GroundTruth.select(synth, List.of(prompt), 8);
        List<String> expected = written.clips().stream().filter(c -> c.combo().equals(combo))
                .map(PlannedClip::videoId).toList();
        assertThat(expected).hasSize(2);
        assertThat(clips).extracting(GroundTruth.Clip::videoId).containsExactlyElementsOf(expected);
        assertThat(clips).allSatisfy(c -> assertThat(c.prompt()).isSameAs(prompt));
        assertThat(GroundTruth.select(synth, List.of(prompt), 1)).hasSize(1);
    }

    @Test
    void aCombinationTheSetLacksIsNamed() throws IOException {
        Path small = dir.resolve("small");
        SyntheticSpec spec = new SyntheticSpec(3, 32, 4, 8, 1, 1, 0, 0, Set.of(), ClipStyle.DEFAULT);
        SyntheticSet.Result r = SyntheticSet.generate(small, spec, ProgressBar.silent());
        Combo missing = Combo.all().stream().filter(c -> r.clips().stream().noneMatch(k -> k.combo().equals(c)))
                .findFirst().orElseThrow();
        assertThatThrownBy(() -> GroundTruth.select(small, List.of(PromptSpec.canonical(missing)), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(small.toString()).hasMessageContaining("no clip of " + missing);
    }
}
