package dev.t2v.inference.eval.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.t2v.data.synthetic.Direction;
import dev.t2v.data.synthetic.PlannedClip;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import dev.t2v.data.video.Video;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Objects per frame and flicker on hand-made frames whose answers are known exactly. */
class ObjectsAndFlickerTest {
    private static final ShapeDetector DETECTOR = new ShapeDetector();
    private static final int SIZE = 128;
    private static final int BACKGROUND = 0x202020;
    private static final int RED = 0xe62828;

    /** A frame of hard-edged squares, each {x, y, side}. */
    private static BufferedImage frame(int[]... squares) {
        int[] px = new int[SIZE * SIZE];
        Arrays.fill(px, BACKGROUND);
        for (int[] sq : squares) {
            for (int y = sq[1]; y < sq[1] + sq[2]; y++) {
                for (int x = sq[0]; x < sq[0] + sq[2]; x++) {
                    px[y * SIZE + x] = RED;
                }
            }
        }
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, SIZE, SIZE, px, 0, SIZE);
        return img;
    }

    private static Video video(List<BufferedImage> frames) {
        return new Video(frames, 8);
    }

    @Test
    void aStillObjectIsOneObjectPerFrameWithNoFlicker() {
        List<BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            frames.add(frame(new int[] {40, 50, 20}));
        }
        ShapeDetection d = DETECTOR.detect(video(frames));
        assertThat(d.objectsPerFrame()).isEqualTo(1.0);
        assertThat(d.flicker()).isEqualTo(0.0);
    }

    @Test
    void twoObjectsAreTwoPerFrame() {
        List<BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            frames.add(frame(new int[] {10 + 2 * i, 20, 16}, new int[] {80, 70 + 2 * i, 20}));
        }
        assertThat(DETECTOR.detect(video(frames)).objectsPerFrame()).isEqualTo(2.0);
    }

    @Test
    void aMovingSquareFlickersByOneMinusTheOverlapOfConsecutiveFrames() {
        // A 20-pixel square moving 5 pixels a frame: consecutive masks share 15×20 of a 25×20 union, IoU 0.6.
        List<BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            frames.add(frame(new int[] {20 + 5 * i, 50, 20}));
        }
        ShapeDetection d = DETECTOR.detect(video(frames));
        assertThat(d.objectsPerFrame()).isEqualTo(1.0);
        assertThat(d.flicker()).isCloseTo(0.4, within(1e-12));
        assertThat(d.direction()).contains(Direction.RIGHT);
    }

    @Test
    void anObjectThatVanishesCountsFullFlickerOnTheFramesItIsMissing() {
        // Frames: square, square, nothing, square. Pairs: (same) 0, (gone) 1, (back) 1 -> mean 2/3; objects 3/4.
        int[] sq = {40, 40, 20};
        Video v = video(List.of(frame(sq), frame(sq), frame(), frame(sq)));
        ShapeDetection d = DETECTOR.detect(v);
        assertThat(d.objectsPerFrame()).isEqualTo(0.75);
        assertThat(d.flicker()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void specksSmallerThanTheMinimumObjectAreaAreNotObjects() {
        // A 4×4 speck (16 px) is under 0.15 % of 128×128 (25 px); a 6×6 one (36 px) is over.
        List<BufferedImage> small = new ArrayList<>();
        List<BufferedImage> large = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            small.add(frame(new int[] {30 + 3 * i, 40, 20}, new int[] {100, 100, 4}));
            large.add(frame(new int[] {30 + 3 * i, 40, 20}, new int[] {100, 100, 6}));
        }
        assertThat(DETECTOR.detect(video(small)).objectsPerFrame()).isEqualTo(1.0);
        assertThat(DETECTOR.detect(video(large)).objectsPerFrame()).isEqualTo(2.0);
    }

    @Test
    void aBlankVideoHasNoObjectsAndNoFlicker() {
        List<BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            frames.add(frame());
        }
        ShapeDetection d = DETECTOR.detect(Degrade.noise(video(frames), 6, new SplittableRandom(3)));
        assertThat(d.objectsPerFrame()).isZero();
        assertThat(d.flicker()).isNaN();
    }

    @Test
    void renderedClipsOfTheSetAreOneObjectPerFrame() {
        for (PlannedClip c : SyntheticSet.plan(SyntheticSpec.of(12, 128, 8, 8, 5))) {
            ShapeDetection d = DETECTOR.detect(c.params().render());
            assertThat(d.objectsPerFrame()).as(c.combo().toString()).isEqualTo(1.0);
            assertThat(d.flicker()).as(c.combo().toString()).isBetween(0.05, 0.6);
        }
    }

    @Test
    void iouOfMasks() {
        boolean[] a = {true, true, false, false};
        boolean[] b = {false, true, true, false};
        assertThat(ShapeDetector.iou(a, b)).isEqualTo(1.0 / 3);
        assertThat(ShapeDetector.iou(a, a)).isEqualTo(1.0);
        assertThat(ShapeDetector.iou(new boolean[4], new boolean[4])).isNaN();
    }
}
