package dev.t2v.data.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSamplerTest {
    private static final Path FILE = Path.of("clip.mp4");

    @TempDir
    Path dir;

    @Test
    void picksTheNearestSourceFrameForEachTargetTime() throws VideoDecodeException {
        double[] times30 = times(90, 30); // 3 s at 30 fps
        // 8 fps: t = 0, .125, .25, .375 -> source 0, 3.75->4, 7.5 (tie: earlier) -> 7, 11.25 -> 11.
        int[] idx = new FrameSampler(4, 8, 0, 16).sourceIndices(times30, 3.0, FILE);
        assertThat(idx).containsExactly(0, 4, 7, 11);
        // From 1 s at 10 fps: 30, 33, 36.
        assertThat(new FrameSampler(3, 10, 1.0, 16).sourceIndices(times30, 3.0, FILE)).containsExactly(30, 33, 36);
        // Up-sampling 5 fps -> 10 fps repeats frames.
        assertThat(new FrameSampler(4, 10, 0, 16).sourceIndices(times(10, 5), 2.0, FILE)).containsExactly(0, 0, 1, 1);
    }

    @Test
    void tooShortVideoFailsByDefaultNamingTheNeed() {
        FrameSampler sampler = new FrameSampler(16, 8, 0.5, 32);
        // 16 frames at 8 fps from 0.5 s need video until 0.5 + 15/8 = 2.375 s.
        assertThatThrownBy(() -> sampler.sourceIndices(times(50, 25), 2.0, FILE))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessage("clip.mp4: too short: 16 frames at 8.0 fps from 0.500 s need video until 2.375 s,"
                        + " it lasts 2.000 s");
    }

    @Test
    void tooShortVideoCanRepeatTheLastFrame() throws VideoDecodeException {
        FrameSampler sampler = new FrameSampler(6, 4, 0, 32, FrameSampler.ShortVideo.REPEAT_LAST);
        // 1 s at 4 fps (frames at 0, .25, .5, .75); targets 0 .. 1.25.
        assertThat(sampler.sourceIndices(times(4, 4), 1.0, FILE)).containsExactly(0, 1, 2, 3, 3, 3);
    }

    @Test
    void startPastTheEndIsAnErrorEvenWhenRepeating() {
        FrameSampler sampler = new FrameSampler(2, 4, 1.0, 32, FrameSampler.ShortVideo.REPEAT_LAST);
        assertThatThrownBy(() -> sampler.sourceIndices(times(4, 4), 1.0, FILE))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessageContaining("start 1.000 s is at or past the end of the video (1.000 s)");
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> new FrameSampler(0, 8, 0, 32)).hasMessageContaining("frames");
        assertThatThrownBy(() -> new FrameSampler(4, 0, 0, 32)).hasMessageContaining("fps");
        assertThatThrownBy(() -> new FrameSampler(4, 8, -1, 32)).hasMessageContaining("startSeconds");
        assertThatThrownBy(() -> new FrameSampler(4, 8, Double.NaN, 32)).hasMessageContaining("startSeconds");
        assertThatThrownBy(() -> new FrameSampler(4, 8, 0, 0)).hasMessageContaining("size");
    }

    @Test
    void samplesAnMp4IntoASquareClipFromTheCentre() throws IOException {
        // 320x240 like MSR-VTT: 40-pixel red margins left and right of a centre whose blue encodes the frame number.
        List<BufferedImage> frames = new ArrayList<>();
        for (int f = 0; f < 24; f++) {
            BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 240; y++) {
                for (int x = 0; x < 320; x++) {
                    img.setRGB(x, y, x < 40 || x >= 280 ? 0xE00000 : 0x000000 | (20 + 9 * f));
                }
            }
            frames.add(img);
        }
        Path mp4 = dir.resolve("wide.mp4");
        new Video(frames, 24).writeMp4(mp4);

        try (VideoReader reader = VideoReader.open(mp4, Optional.empty())) {
            // 4 frames at 6 fps from 0.25 s: source frames 6, 10, 14, 18.
            Video clip = new FrameSampler(4, 6, 0.25, 32).sample(reader);
            assertThat(clip.frameCount()).isEqualTo(4);
            assertThat(clip.fps()).isEqualTo(6.0);
            assertThat(clip.width()).isEqualTo(32);
            assertThat(clip.height()).isEqualTo(32);
            int[] source = {6, 10, 14, 18};
            for (int i = 0; i < 4; i++) {
                for (int x : new int[] {0, 16, 31}) {
                    int p = clip.frames().get(i).getRGB(x, 16);
                    assertThat((p >> 16) & 0xff).as("no red margin in frame %d at x=%d", i, x).isLessThan(12);
                    assertThat(p & 0xff).as("blue of frame %d", i).isCloseTo(20 + 9 * source[i],
                            org.assertj.core.data.Offset.offset(4));
                }
            }
        }
    }

    @Test
    void samplingByPathClosesTheReaderAndGivesTheSameFrames() throws IOException {
        Path mp4 = dir.resolve("pattern.mp4");
        TestPatterns.barsGradientsSquare(64, 48, 12, 12).writeMp4(mp4);
        FrameSampler sampler = new FrameSampler(3, 4, 0, 24);

        Video byPath = sampler.sample(mp4);
        try (VideoReader reader = VideoReader.open(mp4, Optional.empty())) {
            Video byReader = sampler.sample(reader);
            for (int i = 0; i < 3; i++) {
                assertThat(ImageMetrics.psnr(byPath.frames().get(i), byReader.frames().get(i))).isEqualTo(99);
            }
        }
    }

    private static double[] times(int n, double fps) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i / fps;
        }
        return t;
    }
}
