package dev.t2v.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.data.msrvtt.Split;
import dev.t2v.data.video.Video;
import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticSetPlanTest {
    @Test
    void heldOutCombosAreOnlyInTestAndEverySeenComboIsTrained() {
        List<PlannedClip> clips = SyntheticSet.plan(SyntheticSpec.defaults(360));
        Set<Combo> trained = new HashSet<>();
        for (PlannedClip c : clips) {
            assertThat(c.heldOut()).isEqualTo(Combo.DEFAULT_HELD_OUT.contains(c.combo()));
            if (c.heldOut()) {
                assertThat(c.split()).isEqualTo(Split.TEST);
            }
            if (c.split() == Split.TRAIN) {
                trained.add(c.combo());
            }
        }
        assertThat(trained).hasSize(72 - 9).doesNotContainAnyElementsOf(Combo.DEFAULT_HELD_OUT);
        Map<Split, Integer> sizes = SyntheticSet.splitSizes(clips);
        assertThat(clips.stream().filter(PlannedClip::heldOut)).hasSize(45);
        // Blocks 2-5 draw 10 % validate / 10 % test of their 252 seen clips.
        assertThat(sizes.get(Split.VALIDATE)).isBetween(12, 40);
        assertThat(sizes.get(Split.TEST) - 45).isBetween(12, 40);
    }

    @Test
    void combosAreBalancedInBlocksOfSeventyTwo() {
        List<PlannedClip> clips = SyntheticSet.plan(SyntheticSpec.defaults(144));
        Map<Combo, Integer> counts = new HashMap<>();
        clips.forEach(c -> counts.merge(c.combo(), 1, Integer::sum));
        assertThat(counts).hasSize(72);
        assertThat(counts.values()).containsOnly(2);
        assertThat(clips.subList(0, 72).stream().map(PlannedClip::combo).toList())
                .isNotEqualTo(clips.subList(72, 144).stream().map(PlannedClip::combo).toList());
    }

    @Test
    void clipDependsOnlyOnSeedAndIndex() {
        List<PlannedClip> small = SyntheticSet.plan(SyntheticSpec.of(50, 64, 8, 8, 5));
        List<PlannedClip> large = SyntheticSet.plan(SyntheticSpec.of(150, 64, 8, 8, 5));
        assertThat(large.subList(0, 50)).isEqualTo(small);
        List<PlannedClip> otherSeed = SyntheticSet.plan(SyntheticSpec.of(50, 64, 8, 8, 6));
        assertThat(otherSeed.get(0).params()).isNotEqualTo(small.get(0).params());
    }

    @Test
    void shapesStayInsideTheFrameAndMoveVisiblyWithinEightFrames() {
        for (int size : new int[] {64, 128}) {
            SyntheticSpec spec = SyntheticSpec.of(144, size, 16, 8, 3);
            double margin = spec.style().margin() * size;
            for (PlannedClip c : SyntheticSet.plan(spec)) {
                ClipParams p = c.params();
                double hw = c.combo().shape().halfWidth() * p.shapeSize();
                double hh = c.combo().shape().halfHeight() * p.shapeSize();
                for (int t : new int[] {0, spec.frames() - 1}) {
                    assertThat(p.centreX(t) - hw).isGreaterThanOrEqualTo(margin - 1e-9);
                    assertThat(p.centreX(t) + hw).isLessThanOrEqualTo(size - margin + 1e-9);
                    assertThat(p.centreY(t) - hh).isGreaterThanOrEqualTo(margin - 1e-9);
                    assertThat(p.centreY(t) + hh).isLessThanOrEqualTo(size - margin + 1e-9);
                }
                // 7 steps (8 frames) cover at least 15 % of the frame: about two thirds of a mid-sized shape.
                assertThat(p.speed() * 7).isGreaterThanOrEqualTo(0.15 * size);
                double moved = Math.hypot(p.centreX(7) - p.centreX(0), p.centreY(7) - p.centreY(0));
                assertThat(moved).isCloseTo(p.speed() * 7, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void longClipsSlowDownToStayInside() {
        SyntheticSpec spec = SyntheticSpec.of(72, 64, 64, 8, 3);
        for (PlannedClip c : SyntheticSet.plan(spec)) {
            ClipParams p = c.params();
            double hw = c.combo().shape().halfWidth() * p.shapeSize();
            assertThat(p.centreX(63) + hw).isLessThanOrEqualTo(64 - 2.56 + 1e-9);
            assertThat(p.centreX(63) - hw).isGreaterThanOrEqualTo(2.56 - 1e-9);
            assertThat(p.speed()).isPositive();
        }
    }

    @Test
    void renderedFramesShowTheShapeAntiAliasedOnAPlainBackground() {
        PlannedClip clip = SyntheticSet.plan(SyntheticSpec.of(1, 64, 4, 8, 0)).get(0);
        ClipParams p = clip.params();
        Video v = p.render();
        assertThat(v.frameCount()).isEqualTo(4);
        assertThat(v.width()).isEqualTo(64);
        int bg = (p.background() << 16) | (p.background() << 8) | p.background();
        BufferedImage f = v.frames().get(0);
        int full = 0;
        int partial = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int c = f.getRGB(x, y) & 0xffffff;
                if (x < 2 || y < 2 || x >= 62 || y >= 62) {
                    assertThat(c).isEqualTo(bg);
                }
                if (c == p.rgb()) {
                    full++;
                } else if (c != bg) {
                    partial++;
                }
            }
        }
        assertThat(full).isGreaterThan(20);
        assertThat(partial).as("edge pixels blended with the background").isGreaterThan(8);
        // The shape's coverage integrates to its geometric area (within the edge rounding).
        int shift = 0;
        for (int sh : new int[] {8, 16}) {
            if (Math.abs(((p.rgb() >> sh) & 0xff) - p.background()) > Math.abs(((p.rgb() >> shift) & 0xff) - p.background())) {
                shift = sh;
            }
        }
        double fgLevel = (p.rgb() >> shift) & 0xff;
        double area = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                area += (((f.getRGB(x, y) >> shift) & 0xff) - p.background()) / (fgLevel - p.background());
            }
        }
        double s = p.shapeSize();
        double expected = switch (clip.combo().shape()) {
            case CIRCLE -> Math.PI * s * s / 4;
            case SQUARE -> 0.81 * s * s;
            case TRIANGLE -> 4 * Shape.TRIANGLE.halfWidth() * Shape.TRIANGLE.halfHeight() * s * s / 2;
        };
        assertThat(area).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(3));
    }
}
