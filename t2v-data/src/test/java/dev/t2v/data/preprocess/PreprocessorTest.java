package dev.t2v.data.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.core.io.Safetensors;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEmbeddings;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.encode.TextEncoders;
import dev.t2v.data.fixtures.OnnxFixtures;
import dev.t2v.data.manifest.DatasetFiles;
import dev.t2v.data.manifest.DatasetInfo;
import dev.t2v.data.manifest.LatentStats;
import dev.t2v.data.manifest.ManifestEntry;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.msrvtt.Split;
import dev.t2v.data.msrvtt.SplitSelection;
import dev.t2v.data.video.FrameSampler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PreprocessorTest {
    private static final Instant OLD = Instant.parse("2001-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static Path data;
    static PreprocessFixtures.Models models;
    static OnnxTextEncoder text;
    static OnnxVae codec;
    /** 8 videos, 3 per shard, 2 threads: the reference output. */
    static Path reference;
    static PreprocessSummary referenceSummary;

    @BeforeAll
    static void preprocessOnce() throws IOException {
        data = PreprocessFixtures.syntheticSet(shared.resolve("data"), 8);
        models = PreprocessFixtures.tinyModels(shared.resolve("models"));
        text = models.openText();
        codec = models.openCodec();
        reference = shared.resolve("ref");
        referenceSummary = run(config(reference));
    }

    @AfterAll
    static void close() {
        text.close();
        codec.close();
    }

    static PreprocessConfig config(Path out) {
        return PreprocessConfig.defaults(data, out).withClip(8, 8, PreprocessFixtures.SIZE, 2).withVideosPerShard(3);
    }

    static PreprocessSummary run(PreprocessConfig cfg) throws IOException {
        return run(cfg, text, codec);
    }

    static PreprocessSummary run(PreprocessConfig cfg, TextEncoder te, OnnxVae vae) throws IOException {
        return new Preprocessor(cfg, te, vae, PreprocessFixtures.FIXED_CLOCK, null).run();
    }

    static List<ManifestEntry> manifest(Path dir) throws IOException {
        List<ManifestEntry> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(DatasetFiles.MANIFEST))) {
            out.add(ManifestEntry.parse(line, "manifest"));
        }
        return out;
    }

    @Test
    void writesClipShardsManifestNullTextAndDatasetJson() throws IOException {
        assertThat(referenceSummary.videosSelected()).isEqualTo(8);
        assertThat(referenceSummary.videosOk()).isEqualTo(8);
        assertThat(referenceSummary.videosBad()).isZero();
        assertThat(referenceSummary.shardsTotal()).isEqualTo(3);
        assertThat(referenceSummary.shardsWritten()).isEqualTo(3);
        assertThat(referenceSummary.clips()).isEqualTo(16);
        assertThat(referenceSummary.captions()).isEqualTo(8 * 20);
        assertThat(referenceSummary.bytesPerClip()).isGreaterThan(8 * 4 * 4 * 4 * 4);

        DatasetInfo info = DatasetInfo.read(reference.resolve(DatasetFiles.DATASET_JSON));
        assertThat(info.textEncoderId()).isEqualTo(text.id());
        assertThat(info.textDim()).isEqualTo(24);
        assertThat(info.maxTokens()).isEqualTo(16);
        assertThat(info.codecId()).isEqualTo(codec.id());
        assertThat(info.latentChannels()).isEqualTo(4);
        assertThat(info.latentSize()).isEqualTo(4);
        assertThat(info.frames()).isEqualTo(8);
        assertThat(info.splits()).containsExactly("train", "validate", "test");
        assertThat(info.created()).isEqualTo("2026-01-02T03:04:05Z");
        // The scaled latents' statistics over all 16 clips, measured from the shards, in the summary and dataset.json
        assertThat(info.latents()).isNotNull().isEqualTo(referenceSummary.latents());
        assertThat(info.latents().clips()).isEqualTo(16);
        assertThat(info.latents().std()).isPositive();
        assertThat(referenceSummary.describe()).contains("latents: mean ", "std ", "(over 16 clips)");
        // The encoders' files are recorded, so a model trained on the dataset can reopen them.
        assertThat(info.textModel()).isEqualTo(models.text().model().toAbsolutePath().normalize().toString());
        assertThat(info.textTokenizer()).isEqualTo(models.text().tokenizer().toAbsolutePath().normalize().toString());
        assertThat(info.codecEncoder()).isEqualTo(models.vae().encoder().toAbsolutePath().normalize().toString());
        assertThat(info.codecDecoder()).isEqualTo(models.vae().decoder().toAbsolutePath().normalize().toString());

        Map<String, long[]> shapes = Safetensors.readShapes(DatasetFiles.shardTensors(reference, 0));
        assertThat(shapes.get("latents")).containsExactly(6, 8, 4, 4, 4);
        assertThat(shapes.get("text_offsets")).containsExactly(3 * 20 + 1);
        assertThat(Safetensors.readShapes(DatasetFiles.shardTensors(reference, 2)).get("latents"))
                .containsExactly(4, 8, 4, 4, 4);
        assertThat(Files.exists(DatasetFiles.shardManifest(reference, 2))).isTrue();

        List<ManifestEntry> lines = manifest(reference);
        assertThat(lines).hasSize(16);
        assertThat(lines.stream().map(ManifestEntry::clipId).limit(4)).containsExactly("video0#0", "video0#1",
                "video1#0", "video1#1");
        ManifestEntry second = lines.get(1);
        assertThat(second.startSec()).isEqualTo(1.0);
        assertThat(second.shard()).isEqualTo("shards/shard-00000.safetensors");
        assertThat(second.index()).isEqualTo(1);
        assertThat(second.captionFirst()).isEqualTo(0);
        assertThat(second.captionCount()).isEqualTo(20);
        assertThat(lines.get(2).captionFirst()).isEqualTo(20);
        assertThat(second.attributes().get("colour").isTextual()).isTrue();
        MsrVttDataset ds = MsrVttDataset.open(data);
        for (ManifestEntry e : lines) {
            assertThat(e.split()).isEqualTo(ds.clip(e.videoId()).orElseThrow().split().jsonName());
        }
        assertThat(Files.readString(reference.resolve(DatasetFiles.BAD_VIDEOS))).isEqualTo("video_id\tpath\treason\n");
        JsonNode summary = JSON.readTree(reference.resolve(DatasetFiles.SUMMARY).toFile());
        assertThat(summary.path("clips").path("total").asInt()).isEqualTo(16);
        assertThat(summary.path("shards").path("skipped").asInt()).isZero();
    }

    @Test
    void latentsAndCaptionsAreTheEncodersOutputForTheSampledWindow() throws IOException {
        Map<String, INDArray> shard = Safetensors.read(DatasetFiles.shardTensors(reference, 0));
        Path video1 = data.resolve("videos/video1.mp4");
        INDArray frames = new FrameSampler(8, 8, 1.0, PreprocessFixtures.SIZE).sample(video1).toTensor();
        INDArray expected = codec.encode(frames);
        // video1's second window is the shard's clip 3.
        INDArray stored = shard.get("latents").get(NDArrayIndex.point(3));
        assertThat(stored.equalsWithEps(expected, 0)).isTrue();

        List<String> captions = MsrVttDataset.open(data).clip("video1").orElseThrow().captions();
        TextEmbeddings te = text.encode(captions);
        long[] offsets = shard.get("text_offsets").toLongVector();
        INDArray storedText = shard.get("text").castTo(DataType.FLOAT);
        for (int c : new int[] {0, 7, 19}) {
            int row = 20 + c;
            int tokens = (int) (offsets[row + 1] - offsets[row]);
            assertThat(tokens).isEqualTo((int) te.mask().getRow(c).sumNumber().doubleValue());
            INDArray mine = storedText.get(NDArrayIndex.interval(offsets[row], offsets[row + 1]), NDArrayIndex.all());
            INDArray theirs = te.embeddings().get(NDArrayIndex.point(c), NDArrayIndex.interval(0, tokens),
                    NDArrayIndex.all());
            // Stored as FP16: relative error below 2^-11.
            assertThat(mine.sub(theirs).amaxNumber().doubleValue())
                    .isLessThanOrEqualTo(theirs.amaxNumber().doubleValue() / 1024);
        }
        assertThat(Safetensors.readMetadata(DatasetFiles.shardTensors(reference, 0)).get("captions"))
                .contains(captions.get(7).replace("\"", "\\\""));

        Map<String, INDArray> nullText = Safetensors.read(reference.resolve(DatasetFiles.NULL_TEXT));
        TextEmbeddings empty = text.encode(List.of(""));
        assertThat(nullText.get("embedding").shape()).containsExactly(2, 24); // [CLS] [SEP]
        assertThat(nullText.get("embedding").equalsWithEps(empty.embeddings().get(NDArrayIndex.point(0),
                NDArrayIndex.all(), NDArrayIndex.all()), 0)).isTrue();
        assertThat(nullText.get("mask").toFloatVector()).containsExactly(1f, 1f);
    }

    @Test
    void aSecondRunSkipsAllWorkAndRewritesNothing() throws IOException {
        Path out = tmp.resolve("again");
        run(config(out));
        PreprocessFixtures.ageFiles(out, OLD);
        var before = PreprocessFixtures.mtimes(out);

        PreprocessSummary again = run(config(out));

        assertThat(again.shardsSkipped()).isEqualTo(3);
        assertThat(again.shardsWritten()).isZero();
        assertThat(again.videosProcessed()).isZero();
        assertThat(again.clipsWritten()).isZero();
        assertThat(again.clips()).isEqualTo(16);
        assertThat(again.describe()).contains("skipped 3 shards");
        var after = PreprocessFixtures.mtimes(out);
        after.remove(DatasetFiles.SUMMARY);
        before.remove(DatasetFiles.SUMMARY);
        assertThat(after).isEqualTo(before);
    }

    @Test
    void aResumedRunRedoesOnlyTheUnfinishedShardAndMatchesAnUninterruptedRun() throws IOException {
        Path out = tmp.resolve("resumed");
        run(config(out));
        // A kill between the shard's tensors and its .jsonl, plus temp files of writes that never finished.
        Files.delete(DatasetFiles.shardManifest(out, 1));
        Files.writeString(out.resolve("shards/shard-00001.safetensors8123.tmp"), "half a shard");
        Files.writeString(out.resolve(".manifest.jsonl99.tmp"), "half a manifest");
        Files.write(out.resolve(DatasetFiles.MANIFEST), new byte[0]);
        PreprocessFixtures.ageFiles(out, OLD);

        PreprocessSummary resumed = run(config(out));

        assertThat(resumed.shardsWritten()).isEqualTo(1);
        assertThat(resumed.shardsSkipped()).isEqualTo(2);
        assertThat(resumed.videosProcessed()).isEqualTo(3);
        assertThat(resumed.clipsWritten()).isEqualTo(6);
        var mtimes = PreprocessFixtures.mtimes(out);
        assertThat(mtimes.get("shards/shard-00000.safetensors").toInstant()).isEqualTo(OLD);
        assertThat(mtimes.get("shards/shard-00002.jsonl").toInstant()).isEqualTo(OLD);
        assertThat(mtimes.get("shards/shard-00001.jsonl").toInstant()).isAfter(OLD);
        assertThat(PreprocessFixtures.tree(out, DatasetFiles.SUMMARY))
                .usingRecursiveComparison().isEqualTo(PreprocessFixtures.tree(reference, DatasetFiles.SUMMARY));
    }

    @Test
    void twoRunsInDifferentDirectoriesGiveIdenticalBytesWhateverTheThreadCount() throws IOException {
        Path out = tmp.resolve("one-thread");
        run(config(out).withThreads(1));
        Map<String, byte[]> mine = PreprocessFixtures.tree(out, DatasetFiles.SUMMARY);
        Map<String, byte[]> ref = PreprocessFixtures.tree(reference, DatasetFiles.SUMMARY);
        assertThat(mine.keySet()).isEqualTo(ref.keySet()).contains("manifest.jsonl", "null_text.safetensors",
                "shards/shard-00002.safetensors");
        for (String file : ref.keySet()) {
            assertThat(mine.get(file)).as(file).isEqualTo(ref.get(file));
        }
    }

    @Test
    void anOutputMadeWithAnotherTextEncoderIsRefusedUntouched() throws IOException {
        Path out = tmp.resolve("mixed");
        run(config(out).withLimit(2));
        PreprocessFixtures.ageFiles(out, OLD);
        var before = PreprocessFixtures.mtimes(out);
        OnnxFixtures.TextModelFiles clip = OnnxFixtures.writeTinyClipText(tmp.resolve("clip"));
        try (OnnxTextEncoder other = OnnxTextEncoder.open(clip.tokenizer(), clip.model())) {
            assertThatThrownBy(() -> run(config(out).withLimit(2), other, codec))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(out + " holds a dataset made with other settings")
                    .hasMessageContaining("text dim 24 (this run: 32)")
                    .hasMessageContaining("Use another --out");
        }
        assertThatThrownBy(() -> run(config(out).withLimit(3)))
                .hasMessageContaining("limit 2 (this run: 3)");
        assertThat(PreprocessFixtures.mtimes(out)).isEqualTo(before);
    }

    @Test
    void splitsAndLimitChooseTheFirstVideosOfTheSplitsInNaturalIdOrder() throws IOException {
        Path out = tmp.resolve("train-only");
        MsrVttDataset ds = MsrVttDataset.open(data);
        List<String> trainIds = ds.clips(Split.TRAIN).stream().map(c -> c.videoId()).toList();
        assertThat(trainIds.size()).isGreaterThan(3);

        PreprocessSummary s = run(config(out).withSplits(EnumSet.of(Split.TRAIN)).withLimit(3));

        assertThat(s.videosSelected()).isEqualTo(3);
        List<ManifestEntry> lines = manifest(out);
        assertThat(lines).allMatch(e -> e.split().equals("train"));
        assertThat(lines.stream().map(ManifestEntry::videoId).distinct()).containsExactlyElementsOf(trainIds.subList(0, 3));
        assertThat(DatasetInfo.read(out.resolve(DatasetFiles.DATASET_JSON)).splits()).containsExactly("train");
    }

    @Test
    void theMeasuredLatentStatisticsAreThoseOfTheShardsLatents() throws IOException {
        INDArray all = Safetensors.read(reference.resolve(DatasetFiles.shardTensors(0))).get(DatasetFiles.LATENTS);
        LatentStats firstTwo = Preprocessor.measureLatents(OutputStore.local(reference), 3, 2);
        double[] v = all.get(NDArrayIndex.interval(0, 2)).dup().castTo(DataType.DOUBLE).data().asDouble();
        double mean = java.util.Arrays.stream(v).average().orElseThrow();
        double var = java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).average().orElseThrow();
        assertThat(firstTwo.clips()).isEqualTo(2);
        assertThat(firstTwo.mean()).isCloseTo(mean, within(1e-9));
        assertThat(firstTwo.std()).isCloseTo(Math.sqrt(var), within(1e-7));
    }

    @Test
    void theNineKRetrievalSplitTakesTheCsvsVideosWithTheirSplitsAndJsfusionCaption() throws IOException {
        // A copy of the set with retrieval CSVs: 9k-train lists two videos, the 1k-A test one (semicolons, CRLF)
        Path root = tmp.resolve("retrieval");
        copyTree(data, root);
        List<String> ids = MsrVttDataset.open(data).clips().stream().map(c -> c.videoId()).sorted().toList();
        Path ann = root.resolve("annotation");
        Files.writeString(ann.resolve("MSRVTT_train.9k.csv"), "video_id\n" + ids.get(0) + "\n" + ids.get(1) + "\n");
        Files.writeString(ann.resolve("MSRVTT_JSFUSION_test.csv"), "key;vid_key;video_id;sentence\r\n"
                + "ret0;msr2;" + ids.get(2) + ";a shape, moving\r\n");
        PreprocessConfig cfg = config(tmp.resolve("nine-k")).withSplits(SplitSelection.parse("9k-train,1k-a-test"));
        cfg = new PreprocessConfig(root, cfg.out(), cfg.frames(), cfg.fps(), cfg.size(), cfg.clipsPerVideo(),
                cfg.videosPerShard(), cfg.threads(), cfg.limit(), cfg.splits());

        PreprocessSummary s = run(cfg);

        assertThat(s.videosSelected()).isEqualTo(3);
        assertThat(s.captions()).isEqualTo(20 + 20 + 1); // the test video keeps only its JSFUSION sentence
        List<ManifestEntry> lines = manifest(cfg.out());
        assertThat(lines).filteredOn(e -> e.videoId().equals(ids.get(2))).isNotEmpty()
                .allMatch(e -> e.split().equals("test"));
        assertThat(lines).filteredOn(e -> !e.videoId().equals(ids.get(2))).allMatch(e -> e.split().equals("train"));
        assertThat(DatasetInfo.read(cfg.out().resolve(DatasetFiles.DATASET_JSON)).splits())
                .containsExactly("9k-train", "1k-a-test");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void aMissingDataFolderOrAnnotationIsAClearError() throws IOException {
        Path nowhere = tmp.resolve("nowhere");
        PreprocessConfig missing = new PreprocessConfig(nowhere, tmp.resolve("o2"), 8, 8, 32, 2, 3, 1, 0,
                SplitSelection.ALL);
        assertThatThrownBy(() -> run(missing)).isInstanceOf(IOException.class).hasMessageContaining(nowhere.toString())
                .hasMessageContaining("not a directory");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        PreprocessConfig noAnnotation = new PreprocessConfig(empty, tmp.resolve("o3"), 8, 8, 32, 2, 3, 1, 0,
                SplitSelection.ALL);
        assertThatThrownBy(() -> run(noAnnotation)).isInstanceOf(IOException.class)
                .hasMessageContaining("no annotation found");
        assertThat(Files.exists(tmp.resolve("o3"))).isFalse();
    }

    @Test
    void aSizeTheCodecCannotDivideIsRejected() {
        PreprocessConfig cfg = config(tmp.resolve("x")).withClip(8, 8, 36, 2);
        assertThatThrownBy(() -> new Preprocessor(cfg, text, codec, Clock.systemUTC(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size 36 is not a multiple of the codec's downsample 8");
    }

    @Test
    void drawsAProgressBarOnTheGivenStream() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        new Preprocessor(config(tmp.resolve("bar")).withLimit(2), text, codec, PreprocessFixtures.FIXED_CLOCK,
                new PrintStream(err, true, StandardCharsets.UTF_8)).run();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("preprocess", "2/2");
    }

    @Test
    void worksWithTheDefaultMiniLm() throws IOException {
        Path out = tmp.resolve("minilm");
        try (OnnxTextEncoder miniLm = TextEncoders.defaultMiniLm(32)) {
            PreprocessSummary s = run(config(out).withLimit(2), miniLm, codec);
            assertThat(s.clips()).isEqualTo(4);
            DatasetInfo info = DatasetInfo.read(out.resolve(DatasetFiles.DATASET_JSON));
            assertThat(info.textDim()).isEqualTo(384);
            assertThat(info.maxTokens()).isEqualTo(32);
            assertThat(info.textEncoderId()).startsWith("all-MiniLM-L6-v2@");

            String caption = MsrVttDataset.open(data).clip("video0").orElseThrow().captions().get(0);
            TextEmbeddings te = miniLm.encode(List.of(caption));
            Map<String, INDArray> shard = Safetensors.read(DatasetFiles.shardTensors(out, 0));
            long[] offsets = shard.get("text_offsets").toLongVector();
            assertThat(offsets[1]).isEqualTo(te.length());
            INDArray stored = shard.get("text").castTo(DataType.FLOAT).get(NDArrayIndex.interval(0, offsets[1]),
                    NDArrayIndex.all());
            INDArray expected = te.embeddings().get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all());
            assertThat(stored.sub(expected).amaxNumber().doubleValue()).isCloseTo(0, within(0.01));
            INDArray nullText = Safetensors.read(out.resolve(DatasetFiles.NULL_TEXT)).get("embedding");
            assertThat(nullText.shape()).containsExactly(2, 384);
        }
    }
}
