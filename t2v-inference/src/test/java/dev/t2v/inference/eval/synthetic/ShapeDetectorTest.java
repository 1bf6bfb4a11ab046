package dev.t2v.inference.eval.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.data.synthetic.ClipParams;
import dev.t2v.data.synthetic.Combo;
import dev.t2v.data.synthetic.PlannedClip;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import dev.t2v.data.video.Mp4Writer;
import dev.t2v.data.video.Video;
import dev.t2v.data.video.VideoReader;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShapeDetectorTest {
    private static final ShapeDetector DETECTOR = new ShapeDetector();
    private static Path dir;
    /** 144 default-size clips (two per combination) and their H.264 round trips (JCodec both ways). */
    private static List<PlannedClip> clips;
    private static List<Video> rendered;
    private static List<Video> decoded;

    @BeforeAll
    static void writeAndDecode() throws Exception {
        dir = Files.createTempDirectory("shape-detector");
        clips = SyntheticSet.plan(SyntheticSpec.of(144, 128, 16, 8, 2024));
        rendered = clips.stream().map(c -> c.params().render()).toList();
        decoded = roundTrip(rendered, 128);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The H.264 round trip of every clip. All clips go through one file with an IDR frame at each clip's first
     * frame, so each is coded exactly as it would be alone (QP 20, IDR then P frames) at the cost of one file.
     */
    private static List<Video> roundTrip(List<Video> videos, int size) throws Exception {
        int frames = videos.get(0).frameCount();
        List<BufferedImage> all = new ArrayList<>();
        videos.forEach(v -> all.addAll(v.frames()));
        Path mp4 = dir.resolve("clips-" + size + ".mp4");
        new Mp4Writer(Mp4Writer.DEFAULT.qp(), frames).write(new Video(all, videos.get(0).fps()), mp4);
        List<BufferedImage> back;
        try (VideoReader reader = VideoReader.open(mp4, Optional.empty())) {
            back = reader.readAll().frames();
        }
        assertThat(back).hasSize(all.size());
        List<Video> out = new ArrayList<>();
        for (int i = 0; i < videos.size(); i++) {
            out.add(new Video(back.subList(i * frames, (i + 1) * frames), videos.get(i).fps()));
        }
        return out;
    }

    /** Per-attribute accuracy [colour, shape, direction] of the detector on {@code videos}. */
    private static double[] accuracy(List<PlannedClip> planned, List<Video> videos, UnaryOperator<Video> damage) {
        int[] right = new int[3];
        for (int i = 0; i < planned.size(); i++) {
            Combo truth = planned.get(i).combo();
            ShapeDetection d = DETECTOR.detect(damage.apply(videos.get(i)));
            right[0] += d.colour().equals(Optional.of(truth.colour())) ? 1 : 0;
            right[1] += d.shape().equals(Optional.of(truth.shape())) ? 1 : 0;
            right[2] += d.direction().equals(Optional.of(truth.direction())) ? 1 : 0;
        }
        return Arrays.stream(right).mapToDouble(r -> r / (double) planned.size()).toArray();
    }

    private static void assertAllAtLeast(double[] accuracy, double bar) {
        String[] names = {"colour", "shape", "direction"};
        for (int i = 0; i < 3; i++) {
            assertThat(accuracy[i]).as(names[i] + " accuracy of " + Arrays.toString(accuracy)).isGreaterThanOrEqualTo(bar);
        }
    }

    @Test
    void readsEveryAttributeOfRenderedClips() {
        assertThat(accuracy(clips, rendered, v -> v)).containsExactly(1.0, 1.0, 1.0);
    }

    @Test
    void readsAtLeast99PercentOfEachAttributeAfterAnH264RoundTrip() {
        assertAllAtLeast(accuracy(clips, decoded, v -> v), 0.99);
    }

    @Test
    void readsSmallFramesAfterAnH264RoundTrip() throws Exception {
        List<PlannedClip> small = SyntheticSet.plan(SyntheticSpec.of(72, 64, 16, 8, 7));
        assertAllAtLeast(accuracy(small, roundTrip(small.stream().map(c -> c.params().render()).toList(), 64), v -> v), 0.99);
    }

    @Test
    void survivesBlurAndNoiseLikeAVaeAndADiffusionModelAdd() {
        // One clip per combination for each kind of damage: blurring 144 clips twice would double the test's time.
        SplittableRandom rng = new SplittableRandom(5);
        double[] mild = accuracy(clips.subList(0, 72), decoded.subList(0, 72),
                v -> Degrade.noise(Degrade.blur(v, 1.5), 8, rng));
        assertAllAtLeast(mild, 0.95);
        double[] heavy = accuracy(clips.subList(72, 144), decoded.subList(72, 144),
                v -> Degrade.colourDrift(Degrade.noise(Degrade.blur(v, 2.5), 12, rng), 0.7, 10));
        assertAllAtLeast(heavy, 0.95);
    }

    @Test
    void cleanClipsAreReadWithHighConfidence() {
        PlannedClip c = clips.get(0);
        ShapeDetection d = DETECTOR.detect(rendered.get(0));
        assertThat(d.matches(c.combo())).isTrue();
        assertThat(d.combo()).contains(c.combo());
        assertThat(d.colourConfidence()).isBetween(0.5, 1.0);
        assertThat(d.shapeConfidence()).isBetween(0.5, 1.0);
        assertThat(d.directionConfidence()).isBetween(0.9, 1.0);
        assertThat(d.features().framesWithForeground()).isEqualTo(16);
        assertThat(Math.hypot(d.features().dx(), d.features().dy())).isCloseTo(c.params().speed() * 15,
                org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void blankAndNoiseOnlyVideosAreUnknown() {
        Video blank = solid(64, 8, 0x202020);
        ShapeDetection d = DETECTOR.detect(blank);
        assertThat(d.colour()).isEmpty();
        assertThat(d.shape()).isEmpty();
        assertThat(d.direction()).isEmpty();
        assertThat(d.features().framesWithForeground()).isZero();
        ShapeDetection noisy = DETECTOR.detect(Degrade.noise(blank, 10, new SplittableRandom(1)));
        assertThat(noisy.combo()).isEmpty();
        assertThat(noisy.shape()).isEmpty();
    }

    @Test
    void aStillShapeHasNoDirectionAndAGreyShapeNoColour() {
        ClipParams moving = clips.get(3).params();
        ClipParams still = new ClipParams(moving.combo(), 128, 8, 8, moving.shapeSize(), 64, 64, 0, 30, moving.rgb(), 4);
        ShapeDetection d = DETECTOR.detect(still.render());
        assertThat(d.direction()).isEmpty();
        assertThat(d.directionConfidence()).isZero();
        assertThat(d.colour()).contains(moving.combo().colour());
        assertThat(d.shape()).contains(moving.combo().shape());

        ClipParams grey = new ClipParams(moving.combo(), 128, 8, 8, moving.shapeSize(), moving.startX(), moving.startY(),
                moving.speed(), 30, 0xc8c8c8, 4);
        ShapeDetection g = DETECTOR.detect(grey.render());
        assertThat(g.colour()).isEmpty();
        assertThat(g.shape()).contains(moving.combo().shape());
        assertThat(g.direction()).contains(moving.combo().direction());
    }

    @Test
    void aLighterBackgroundAndASecondSpeckDoNotConfuseIt() {
        PlannedClip c = clips.get(10);
        ClipParams p = c.params();
        ClipParams lighter = new ClipParams(p.combo(), 128, 16, 8, p.shapeSize(), p.startX(), p.startY(), p.speed(), 80,
                p.rgb(), 4);
        List<BufferedImage> frames = new ArrayList<>(lighter.render().frames());
        // A 2×2 speck in a corner of every frame: smaller than the shape, so not the largest blob.
        for (BufferedImage f : frames) {
            for (int y = 4; y < 6; y++) {
                for (int x = 120; x < 122; x++) {
                    f.setRGB(x, y, 0xffffff);
                }
            }
        }
        assertThat(DETECTOR.detect(new Video(frames, 8)).combo()).contains(c.combo());
    }

    @Test
    void aTinySpeckIsNotAShape() {
        List<BufferedImage> frames = new ArrayList<>(solid(64, 6, 0x181818).frames());
        for (int t = 0; t < frames.size(); t++) {
            for (int y = 30; y < 32; y++) {
                for (int x = 10 + 3 * t; x < 12 + 3 * t; x++) {
                    frames.get(t).setRGB(x, y, 0xe62828);
                }
            }
        }
        ShapeDetection d = DETECTOR.detect(new Video(frames, 8));
        assertThat(d.shape()).isEmpty();
        assertThat(d.features().framesWithForeground()).isZero();
    }

    private static Video solid(int size, int frames, int rgb) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            int[] px = new int[size * size];
            Arrays.fill(px, rgb);
            img.setRGB(0, 0, size, size, px, 0, size);
            out.add(img);
        }
        return new Video(out, 8);
    }
}
