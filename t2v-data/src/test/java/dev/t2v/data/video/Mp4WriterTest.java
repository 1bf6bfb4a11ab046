package dev.t2v.data.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4WriterTest {
    @TempDir
    Path dir;

    @Test
    void testPatternRoundTripsThroughFfmpegAbove35Db() throws IOException {
        Ffmpeg.assumeAvailable();
        // 72 is not a multiple of 16: exercises the SPS crop.
        Video video = TestPatterns.barsGradientsSquare(96, 72, 30, 12);
        Path mp4 = dir.resolve("pattern.mp4");
        video.writeMp4(mp4);

        List<BufferedImage> decoded = Ffmpeg.decodeRgb(mp4, 96, 72);
        assertThat(decoded).hasSize(30);
        for (int i = 0; i < decoded.size(); i++) {
            assertThat(ImageMetrics.psnr(video.frames().get(i), decoded.get(i))).as("frame %d", i).isGreaterThan(35);
        }
    }

    @Test
    void ffprobeReadsStreamWithoutErrorsAndSeesLimitedRangeBt601() throws IOException {
        Ffmpeg.assumeAvailable();
        Path mp4 = dir.resolve("probe.mp4");
        TestPatterns.barsGradientsSquare(64, 48, 30, 12).writeMp4(mp4);

        Map<String, String> p = Ffmpeg.probe(mp4);
        assertThat(p.get("errors")).isEmpty();
        assertThat(p).containsEntry("exit", "0")
                .containsEntry("codec_name", "h264")
                .containsEntry("width", "64")
                .containsEntry("height", "48")
                .containsEntry("nb_read_frames", "30")
                .containsEntry("r_frame_rate", "12/1")
                .containsEntry("avg_frame_rate", "12/1")
                .containsEntry("pix_fmt", "yuv420p")
                .containsEntry("color_range", "tv")
                .containsEntry("color_space", "smpte170m");
    }

    @Test
    void ntscFrameRateIsStoredExactly() throws IOException {
        Ffmpeg.assumeAvailable();
        Path mp4 = dir.resolve("ntsc.mp4");
        TestPatterns.barsGradientsSquare(32, 32, 6, 30000.0 / 1001).writeMp4(mp4);

        assertThat(Ffmpeg.probe(mp4)).containsEntry("r_frame_rate", "30000/1001").containsEntry("nb_read_frames", "6");
    }

    @Test
    void noiseAtLowQpIsStillWritten() throws IOException {
        Ffmpeg.assumeAvailable();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        BufferedImage img = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 48; x++) {
                img.setRGB(x, y, rng.nextInt(1 << 24));
            }
        }
        Path mp4 = dir.resolve("noise.mp4");
        new Mp4Writer(0, 25).write(new Video(List.of(img, img, img), 10), mp4);

        assertThat(Ffmpeg.probe(mp4)).containsEntry("nb_read_frames", "3").containsEntry("errors", "");
    }

    @Test
    void oddDimensionsAreRejectedWithoutLeavingAFile() {
        Video odd = TestPatterns.barsGradientsSquare(33, 24, 2, 10);
        Path mp4 = dir.resolve("odd.mp4");

        assertThatThrownBy(() -> odd.writeMp4(mp4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("odd.mp4")
                .hasMessageContaining("even width and height")
                .hasMessageContaining("33x24");
        assertThat(mp4).doesNotExist();
    }

    @Test
    void writeReplacesExistingFileAndLeavesNoTempFiles() throws IOException {
        Path mp4 = dir.resolve("clip.mp4");
        Files.writeString(mp4, "old content");
        TestPatterns.barsGradientsSquare(32, 32, 3, 8).writeMp4(mp4);

        assertThat(Files.size(mp4)).isGreaterThan(100);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(mp4);
        }
    }

    @Test
    void qpOutsideH264RangeIsRejected() {
        assertThatThrownBy(() -> new Mp4Writer(52, 25)).hasMessageContaining("qp must be in [0, 51]");
        assertThatThrownBy(() -> new Mp4Writer(20, 0)).hasMessageContaining("keyInterval");
    }
}
