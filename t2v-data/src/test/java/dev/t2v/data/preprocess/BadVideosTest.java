package dev.t2v.data.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.manifest.DatasetFiles;
import dev.t2v.data.manifest.ManifestEntry;
import dev.t2v.data.video.Ffmpeg;
import dev.t2v.data.video.TestClips;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadVideosTest {
    @TempDir
    Path tmp;

    @Test
    void everyBadVideoIsListedWithItsReasonAndTheGoodClipsAreAllThere() throws IOException {
        Ffmpeg.assumeAvailable();
        Path data = PreprocessFixtures.syntheticSet(tmp.resolve("data"), 10);
        Path videos = data.resolve("videos");
        PreprocessFixtures.spoilVideos(videos, "video2", "video3", "video4", "video7", "video8");
        Path clips = Files.createDirectories(tmp.resolve("clips"));
        Files.copy(TestClips.make(clips, "mpeg4"), videos.resolve("video5.mp4"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(TestClips.make(clips, "mbaff"), videos.resolve("video6.mp4"), StandardCopyOption.REPLACE_EXISTING);

        PreprocessFixtures.Models models = PreprocessFixtures.tinyModels(tmp.resolve("models"));
        Path out = tmp.resolve("out");
        PreprocessSummary summary;
        try (OnnxTextEncoder text = models.openText(); OnnxVae codec = models.openCodec()) {
            PreprocessConfig cfg = PreprocessConfig.defaults(data, out).withClip(8, 8, 32, 2).withVideosPerShard(4);
            summary = new Preprocessor(cfg, text, codec, PreprocessFixtures.FIXED_CLOCK, null).run();
        }

        List<BadVideo> bad = Preprocessor.readBadVideos(out);
        assertThat(bad).extracting(BadVideo::videoId)
                .containsExactly("video2", "video3", "video4", "video5", "video6", "video7", "video8");
        Map<String, BadVideo> byId = bad.stream().collect(Collectors.toMap(BadVideo::videoId, Function.identity()));
        assertThat(byId.get("video2").path()).isEqualTo("videos/video2.mp4");
        assertThat(byId.get("video2").reason()).isNotBlank();
        assertThat(byId.get("video3").reason()).isNotBlank();
        assertThat(byId.get("video4").reason()).isEqualTo("empty file");
        assertThat(byId.get("video5").reason()).contains("MPEG-4 Part 2");
        assertThat(byId.get("video6").reason()).contains("MBAFF");
        assertThat(byId.get("video7").path()).isEqualTo("-");
        assertThat(byId.get("video7").reason()).contains("video file not found");
        assertThat(byId.get("video8").reason()).startsWith("too short: 0.500 s");
        bad.forEach(b -> System.out.println("bad video: " + b.toTsv()));

        assertThat(summary.videosOk()).isEqualTo(3);
        assertThat(summary.videosBad()).isEqualTo(7);
        List<String> clipIds = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(DatasetFiles.MANIFEST))) {
            clipIds.add(ManifestEntry.parse(line, "manifest").clipId());
        }
        assertThat(clipIds).containsExactly("video0#0", "video0#1", "video1#0", "video1#1", "video9#0", "video9#1");
        // Shard 1 (video4..video7) had no good video: an empty .jsonl marks it done and no tensors are written.
        assertThat(Files.size(DatasetFiles.shardManifest(out, 1))).isZero();
        assertThat(Files.exists(DatasetFiles.shardTensors(out, 1))).isFalse();
        assertThat(Files.readAllLines(DatasetFiles.shardBadVideos(out, 1))).hasSize(5);
    }
}
