package dev.t2v.data.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JCodec-vs-ffmpeg parity, fallback routing and rejections, on clips ffmpeg makes at test time. */
class VideoReaderTest {
    /** Shared across tests: making each clip once keeps the suite fast. */
    @TempDir
    static Path clips;

    @TempDir
    Path dir;

    @BeforeEach
    void needsFfmpeg() {
        Ffmpeg.assumeAvailable();
    }

    @ParameterizedTest
    @ValueSource(strings = {"baseline", "main", "high", "bframes", "bpyramid", "cabac", "weighted", "shortgop",
            "slices", "audio"})
    void jcodecDecodesLikeFfmpegFrameByFrame(String name) throws IOException {
        Path clip = TestClips.make(clips, name);
        try (VideoReader reader = VideoReader.open(clip, Optional.empty())) {
            assertThat(reader.decoder()).isEqualTo(VideoReader.Decoder.JCODEC);
            assertThat(reader.fallbackReason()).isEmpty();
            assertMatchesFfmpeg(clip, reader.readAll());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"temporal", "nodeblock"})
    void streamsJcodecMisdecodesAreRoutedToFfmpegAndMatch(String name) throws IOException {
        Path clip = TestClips.make(clips, name);
        try (VideoReader reader = VideoReader.open(clip, FfmpegDecoder.onPath())) {
            assertThat(reader.decoder()).isEqualTo(VideoReader.Decoder.FFMPEG);
            assertThat(reader.fallbackReason()).get().asString()
                    .containsAnyOf("direct_spatial_mv_pred_flag=0", "disable_deblocking_filter_idc=1");
            assertMatchesFfmpeg(clip, reader.readAll());
        }
    }

    @Test
    void temporalDirectWithoutFfmpegIsRejectedWithTheReason() throws IOException {
        Path clip = TestClips.make(clips, "temporal");
        assertThatThrownBy(() -> VideoReader.open(clip, Optional.empty()))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessageContaining(clip.toString())
                .hasMessageContaining("temporal direct prediction in B-slices (direct_spatial_mv_pred_flag=0)");
    }

    @Test
    void disabledDeblockingWithoutFfmpegIsRejectedWithTheReason() throws IOException {
        Path clip = TestClips.make(clips, "nodeblock");
        assertThatThrownBy(() -> VideoReader.open(clip, Optional.empty()))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessageContaining(clip.toString())
                .hasMessageContaining("deblocking filter disabled (disable_deblocking_filter_idc=1)");
    }

    /** Why the routing exists: JCodec's output for these streams is wrong, with no exception. */
    @ParameterizedTest
    @ValueSource(strings = {"temporal", "nodeblock"})
    void jcodecForcedOnMisdecodedStreamsDiffersFromFfmpeg(String name) throws IOException {
        Path clip = TestClips.make(clips, name);
        try (VideoReader reader = VideoReader.open(clip, Optional.empty(), true)) {
            List<BufferedImage> ours = reader.readAll().frames();
            List<BufferedImage> ref = Ffmpeg.decodeI420ToRgb(clip, TestClips.WIDTH, TestClips.HEIGHT);
            double worst = 99;
            for (int i = 0; i < ref.size(); i++) {
                worst = Math.min(worst, ImageMetrics.psnr(ours.get(i), ref.get(i)));
            }
            assertThat(worst).isLessThan(45);
        }
    }

    @Test
    void missingFfmpegExecutableGivesAClearError() throws IOException {
        Path clip = TestClips.make(clips, "temporal");
        FfmpegDecoder bogus = new FfmpegDecoder(dir.resolve("no-such-ffmpeg"));
        try (VideoReader reader = VideoReader.open(clip, Optional.of(bogus))) {
            assertThatThrownBy(reader::readAll)
                    .isInstanceOf(VideoDecodeException.class)
                    .hasMessageContaining(clip.toString())
                    .hasMessageContaining("cannot start");
        }
    }

    @Test
    void ffmpegThatStallsIsStoppedWithAClearError() throws IOException {
        Path clip = TestClips.make(clips, "temporal");
        FfmpegDecoder stalling = new FfmpegDecoder(script("exec sleep 30"), java.time.Duration.ofMillis(300));
        try (VideoReader reader = VideoReader.open(clip, Optional.of(stalling))) {
            assertThatThrownBy(reader::readAll)
                    .isInstanceOf(VideoDecodeException.class)
                    .hasMessageContaining(clip.toString())
                    .hasMessageContaining("ffmpeg produced no frame");
        }
    }

    @Test
    void ffmpegFailureReportsItsStderr() throws IOException {
        Path clip = TestClips.make(clips, "temporal");
        FfmpegDecoder failing = new FfmpegDecoder(script("echo 'invalid data found' >&2; exit 1"));
        FfmpegDecoder partial = new FfmpegDecoder(script("printf abc; echo 'cut short' >&2; exit 0"));
        try (VideoReader reader = VideoReader.open(clip, Optional.of(failing))) {
            assertThatThrownBy(reader::readAll)
                    .isInstanceOf(VideoDecodeException.class)
                    .hasMessage(clip + ": ffmpeg failed (exit 1): invalid data found");
        }
        try (VideoReader reader = VideoReader.open(clip, Optional.of(partial))) {
            assertThatThrownBy(reader::readAll)
                    .isInstanceOf(VideoDecodeException.class)
                    .hasMessageContaining("ffmpeg output ended inside frame 0")
                    .hasMessageContaining("cut short");
        }
    }

    private Path script(String body) throws IOException {
        Path s = Files.createTempFile(dir, "fake-ffmpeg", ".sh");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        assertThat(s.toFile().setExecutable(true)).isTrue();
        return s;
    }

    @Test
    void mbaffIsRejectedNamingTheFeature() throws IOException {
        Path clip = TestClips.make(clips, "mbaff");
        assertThat(Ffmpeg.probe(clip).get("field_order")).isNotEqualTo("progressive");
        assertThatThrownBy(() -> VideoReader.open(clip, FfmpegDecoder.onPath()))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessageContaining(clip.toString())
                .hasMessageContaining("unsupported H.264 feature: MBAFF");
    }

    @Test
    void mpeg4Part2IsRejectedNamingTheCodec() throws IOException {
        Path clip = TestClips.make(clips, "mpeg4");
        assertThatThrownBy(() -> VideoReader.open(clip, FfmpegDecoder.onPath()))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessageContaining(clip.toString())
                .hasMessageContaining("unsupported codec MPEG-4 Part 2 ('mp4v')");
    }

    @Test
    void probeAgreesWithFfprobe() throws IOException {
        Path clip = TestClips.make(clips, "bpyramid");
        Map<String, String> p = Ffmpeg.probe(clip);
        try (VideoReader reader = VideoReader.open(clip, Optional.empty())) {
            VideoInfo info = reader.info();
            assertThat(info.width()).isEqualTo(Integer.parseInt(p.get("width")));
            assertThat(info.height()).isEqualTo(Integer.parseInt(p.get("height")));
            assertThat(info.frameCount()).isEqualTo(Integer.parseInt(p.get("nb_read_frames")));
            assertThat(info.fps()).isCloseTo(TestClips.FPS, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(info.durationSeconds()).isCloseTo(TestClips.FRAMES / (double) TestClips.FPS,
                    org.assertj.core.data.Offset.offset(1e-9));
            assertThat(info.codec()).isEqualTo("h264");
            assertThat(info.profile()).startsWith(p.get("profile") + "@");
            double[] times = reader.frameTimes();
            assertThat(times).hasSize(TestClips.FRAMES);
            for (int i = 0; i < times.length; i++) {
                assertThat(times[i]).isCloseTo(i / (double) TestClips.FPS, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void readingSomeFramesInAnyOrderGivesTheSameFramesAsReadingAll() throws IOException {
        Path clip = TestClips.make(clips, "shortgop");
        List<BufferedImage> all;
        try (VideoReader reader = VideoReader.open(clip, Optional.empty())) {
            all = reader.readAll().frames();
        }
        int[] wanted = {20, 3, 20, 29, 13};
        try (VideoReader reader = VideoReader.open(clip, Optional.empty())) {
            List<BufferedImage> some = reader.readFrames(wanted);
            assertThat(some).hasSize(wanted.length);
            for (int i = 0; i < wanted.length; i++) {
                assertThat(ImageMetrics.psnr(some.get(i), all.get(wanted[i]))).as("frame %d", wanted[i]).isEqualTo(99);
            }
            assertThat(some.get(0)).isSameAs(some.get(2));
            assertThatThrownBy(() -> reader.readFrames(new int[] {30})).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void ourMp4RoundTripsThroughOurReaderAbove35Db() throws IOException {
        Video video = TestPatterns.barsGradientsSquare(96, 72, 20, 12);
        Path mp4 = dir.resolve("pattern.mp4");
        video.writeMp4(mp4);
        try (VideoReader reader = VideoReader.open(mp4, Optional.empty())) {
            assertThat(reader.info().fps()).isEqualTo(12.0);
            assertThat(reader.info().profile()).startsWith("Baseline@");
            Video back = reader.readAll();
            assertThat(back.frameCount()).isEqualTo(20);
            assertThat(back.width()).isEqualTo(96);
            assertThat(back.height()).isEqualTo(72);
            for (int i = 0; i < 20; i++) {
                assertThat(ImageMetrics.psnr(video.frames().get(i), back.frames().get(i))).as("frame %d", i)
                        .isGreaterThan(35);
            }
        }
    }

    @Test
    void emptyFileIsRejected() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        assertThatThrownBy(() -> VideoReader.open(empty, Optional.empty()))
                .isInstanceOf(VideoDecodeException.class).hasMessage(empty + ": empty file");
    }

    @Test
    void missingFileIsRejected() {
        Path missing = dir.resolve("missing.mp4");
        assertThatThrownBy(() -> VideoReader.open(missing, Optional.empty()))
                .isInstanceOf(VideoDecodeException.class).hasMessage(missing + ": no such file");
    }

    @Test
    void randomBytesAreRejected() throws IOException {
        byte[] junk = new byte[5000];
        new SplittableRandom(3).nextBytes(junk);
        Path file = Files.write(dir.resolve("random.mp4"), junk);
        assertThatThrownBy(() -> VideoReader.open(file, Optional.empty()))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessage(file + ": not an MP4/QuickTime file (no box structure at the start)");
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        byte[] whole = Files.readAllBytes(TestClips.make(clips, "main"));
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(whole, whole.length / 2));
        assertThatThrownBy(() -> VideoReader.open(cut, Optional.empty()))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void truncatedFastStartFileIsRejected() throws IOException {
        Path fast = dir.resolve("fast.mp4");
        Ffmpeg.run("-i", TestClips.make(clips, "main").toString(), "-c", "copy", "-movflags", "+faststart",
                fast.toString());
        byte[] whole = Files.readAllBytes(fast);
        Path cut = Files.write(dir.resolve("fastcut.mp4"), Arrays.copyOf(whole, whole.length - 500));
        assertThatThrownBy(() -> VideoReader.open(cut, Optional.empty()))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void corruptMovieHeaderIsRejected() throws IOException {
        byte[] bytes = Files.readAllBytes(TestClips.make(clips, "main"));
        int moov = indexOf(bytes, "moov".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = moov + 8; i < bytes.length; i++) {
            bytes[i] = (byte) rng.nextInt(256);
        }
        Path bad = Files.write(dir.resolve("badmoov.mp4"), bytes);
        assertThatThrownBy(() -> VideoReader.open(bad, Optional.empty()))
                .isInstanceOf(VideoDecodeException.class)
                .hasMessageStartingWith(bad + ": ");
    }

    @Test
    void corruptSliceDataIsRejectedOrDecodedWithoutEscapingAsAnotherException() throws IOException {
        Path clip = TestClips.make(clips, "main");
        byte[] bytes = Files.readAllBytes(clip);
        int mdat = indexOf(bytes, "mdat".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        SplittableRandom rng = new SplittableRandom(5);
        // Keep the first sample's NAL lengths and headers; scramble payload bytes further in.
        for (int i = mdat + 200; i < mdat + 1200 && i < bytes.length; i++) {
            bytes[i] = (byte) rng.nextInt(256);
        }
        Path bad = Files.write(dir.resolve("badslices.mp4"), bytes);
        try (VideoReader reader = VideoReader.open(bad, Optional.empty())) {
            reader.readAll();
        } catch (VideoDecodeException e) {
            assertThat(e).hasMessageStartingWith(bad + ": ");
        }
    }

    @Test
    void closingReadersStopsJcodecSliceThreads() throws IOException {
        Path clip = TestClips.make(clips, "slices");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        for (int i = 0; i < 3; i++) {
            try (VideoReader reader = VideoReader.open(clip, Optional.empty())) {
                reader.readAll();
            }
        }
        Set<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().startsWith("pool-")).collect(Collectors.toSet());
        for (Thread t : started) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertThat(started).noneMatch(Thread::isAlive);
    }

    /**
     * Same frame count, every frame >= 45 dB against ffmpeg's decode, and each frame nearer its own reference than
     * its neighbours' (where those differ: the mandelbrot's first frames are identical).
     */
    private static void assertMatchesFfmpeg(Path clip, Video ours) throws IOException {
        List<BufferedImage> ref = Ffmpeg.decodeI420ToRgb(clip, ours.width(), ours.height());
        assertThat(ours.frameCount()).isEqualTo(ref.size());
        for (int i = 0; i < ref.size(); i++) {
            double own = ImageMetrics.psnr(ours.frames().get(i), ref.get(i));
            assertThat(own).as("frame %d", i).isGreaterThanOrEqualTo(45);
            for (int j = Math.max(0, i - 2); j <= Math.min(ref.size() - 1, i + 2); j++) {
                if (j != i && ImageMetrics.psnr(ref.get(i), ref.get(j)) < 99) {
                    assertThat(ImageMetrics.psnr(ours.frames().get(i), ref.get(j))).as("frame %d vs %d", i, j)
                            .isLessThan(own);
                }
            }
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not found");
    }
}
