package dev.t2v.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.msrvtt.MsrVttClip;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.msrvtt.Split;
import dev.t2v.data.video.Ffmpeg;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticSetGenerateTest {
    @TempDir
    Path tmp;

    @Test
    void writesMsrVttLayoutThatTheMsrVttReaderOpens() throws IOException {
        SyntheticSpec spec = SyntheticSpec.of(90, 48, 8, 8, 4);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path out = tmp.resolve("synth");
        SyntheticSet.Result result;
        try (ProgressBar bar = new ProgressBar(new PrintStream(log, true), "synth", spec.videos(), 0, false)) {
            result = SyntheticSet.generate(out, spec, bar);
        }

        MsrVttDataset ds = MsrVttDataset.open(out);
        assertThat(ds.clips()).hasSize(90);
        assertThat(ds.missingVideos()).isEmpty();
        assertThat(ds.videoFile(ds.clips().get(5))).isEqualTo(out.resolve("videos/video5.mp4"));
        assertThat(ds.splitSizes()).isEqualTo(result.splitSizes());
        for (MsrVttClip clip : ds.clips()) {
            PlannedClip planned = result.clips().get(clip.video().id());
            assertThat(clip.videoId()).isEqualTo(planned.videoId());
            assertThat(clip.captions()).isEqualTo(planned.captions()).hasSize(20);
            assertThat(clip.split()).isEqualTo(planned.split());
            assertThat(clip.video().duration()).isEqualTo(1.0);
            assertThat(SyntheticLabel.of(clip.video())).contains(new SyntheticLabel(planned.combo(), planned.heldOut()));
        }
        assertThat(ds.clips(Split.TEST)).anyMatch(c -> SyntheticLabel.of(c.video()).orElseThrow().heldOut());
        assertThat(ds.annotations().sentences()).hasSize(90 * 20);
        assertThat(ds.annotations().sentences().get(21).senId()).isEqualTo(21);

        List<PromptSpec> prompts = PromptsTsv.read(out.resolve("annotation/prompts.tsv"));
        assertThat(prompts).isEqualTo(result.testPrompts());
        assertThat(prompts.stream().filter(PromptSpec::heldOut)).hasSize(9);
        assertThat(prompts.stream().filter(p -> !p.heldOut()).map(PromptSpec::combo))
                .allMatch(c -> result.clips().stream().anyMatch(k -> k.combo().equals(c) && k.split() == Split.TEST))
                .allMatch(c -> result.clips().stream().anyMatch(k -> k.combo().equals(c) && k.split() == Split.TRAIN));
        assertThat(Files.readString(out.resolve("annotation/synthetic.json"))).contains("\"seed\" : 4", "\"held_out\"");
        try (Stream<Path> files = Files.walk(out)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
        assertThat(log.toString()).contains("90/90");
    }

    @Test
    void videosAreH264ThatFfmpegDecodes() throws IOException {
        Ffmpeg.assumeAvailable();
        SyntheticSet.generate(tmp, SyntheticSpec.of(2, 64, 12, 8, 0), ProgressBar.silent());
        Map<String, String> probe = Ffmpeg.probe(tmp.resolve("videos/video1.mp4"));
        assertThat(probe).containsEntry("codec_name", "h264").containsEntry("width", "64").containsEntry("height", "64")
                .containsEntry("nb_read_frames", "12").containsEntry("r_frame_rate", "8/1").containsEntry("errors", "");
    }

    @Test
    void sameSeedGivesIdenticalFilesAndAnotherSeedDoesNot() throws IOException {
        SyntheticSpec spec = SyntheticSpec.of(12, 32, 6, 8, 21);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Path c = tmp.resolve("c");
        SyntheticSet.generate(a, spec, ProgressBar.silent());
        SyntheticSet.generate(b, spec, ProgressBar.silent());
        SyntheticSet.generate(c, SyntheticSpec.of(12, 32, 6, 8, 22), ProgressBar.silent());

        Map<String, byte[]> fa = contents(a);
        Map<String, byte[]> fb = contents(b);
        Map<String, byte[]> fc = contents(c);
        assertThat(fa).hasSize(12 + 3);
        assertThat(fb.keySet()).isEqualTo(fa.keySet());
        fa.forEach((name, bytes) -> assertThat(fb.get(name)).as(name).isEqualTo(bytes));
        assertThat(fc.get("videos/video0.mp4")).isNotEqualTo(fa.get("videos/video0.mp4"));
        assertThat(fc.get("annotation/MSRVTT_data.json")).isNotEqualTo(fa.get("annotation/MSRVTT_data.json"));
    }

    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
