package dev.t2v.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.train.dataset.ClipDataset;
import dev.t2v.train.dataset.TrainingBatch;
import dev.t2v.data.preprocess.PreprocessFixtures;
import dev.t2v.train.codec.CodecArchitecture;
import dev.t2v.train.codec.CodecInfo;
import dev.t2v.train.codec.CodecTrainingConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.DefaultParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessCommandTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static Path data;
    static PreprocessFixtures.Models models;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void fixtures() throws IOException {
        data = PreprocessFixtures.syntheticSet(shared.resolve("data"), 5);
        models = PreprocessFixtures.tinyModels(shared.resolve("models"));
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.withAllCommands().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A valid command line on the tiny fixtures, with {@code extra} flag/value pairs added or replacing. */
    private String[] args(Path outDir, String... extra) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--data", data.toString());
        flags.put("--out", outDir.toString());
        flags.put("--text-model", models.text().model().toString());
        flags.put("--tokenizer", models.text().tokenizer().toString());
        flags.put("--max-tokens", "16");
        flags.put("--vae", models.vae().dir().toString());
        flags.put("--size", "32");
        flags.put("--videos-per-shard", "2");
        for (int i = 0; i < extra.length; i += 2) {
            flags.put(extra[i], extra[i + 1]);
        }
        List<String> a = new ArrayList<>(List.of("preprocess"));
        flags.forEach((k, v) -> {
            a.add(k);
            a.add(v);
        });
        return a.toArray(String[]::new);
    }

    @Test
    void preprocessesEndToEndAndResumesWithoutWork() throws IOException {
        Path o = tmp.resolve("pre");
        int code = run(args(o));

        assertThat(code).as(stderr()).isZero();
        assertThat(stdout()).contains("videos: 5 selected, 5 ok, 0 bad", "shards: 3 total, 3 written",
                "clips: 10 total (10 this run)", "clips/min", "wrote " + o);
        assertThat(stderr()).contains("preprocess", "5/5");
        try (ClipDataset ds = ClipDataset.open(o, Set.of("train", "validate", "test"))) {
            assertThat(ds.size()).isEqualTo(10);
            TrainingBatch b = ds.batch(0, 0, 0, 2, 8);
            assertThat(b.latents().shape()).containsExactly(2, 8, 4, 4, 4);
            assertThat(b.text().shape()).containsExactly(2, 8, 24);
        }

        assertThat(run(args(o))).as(stderr()).isZero();
        assertThat(stdout()).contains("skipped 3 shards already done", "clips: 10 total (0 this run)");
    }

    @Test
    void theSparkEngineNeedsSparkOnTheClassPathAndSaysSo() {
        // The CLI does not depend on Spark (./t2v and spark-submit add it); t2v-data's tests run the engine itself.
        int code = run(args(tmp.resolve("spark"), "--engine", "spark", "--master", "local[2]"));
        assertThat(code).isEqualTo(Main.FAILURE);
        assertThat(stderr()).contains("Spark is not on the class path", "docs/scale.md");
    }

    @Test
    void sparkFlagsAreCheckedAgainstTheEngine() {
        Path o = tmp.resolve("bad-spark");
        expectUsage(args(o, "--engine", "flink"), "--engine: expected one of");
        expectUsage(args(o, "--master", "local[2]"), "--master is for --engine spark");
        expectUsage(args(o, "--engine", "spark"), "--master is required with --engine spark outside spark-submit");
        expectUsage(args(o, "--engine", "spark", "--master", "local", "--threads", "2"),
                "--threads is for --engine local");
        expectUsage(args(o, "--engine", "spark", "--master", "local", "--out", "hdfs://nn"),
                "--out: expected a path or an absolute URI");
        expectUsage(args(o, "--data", "hdfs://nn/data"), "--data: expected an existing file or directory");
        assertThat(Files.exists(o)).isFalse();
    }

    @Test
    void isListedInTheHelpWithItsEncoderFlags() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("preprocess");
        assertThat(run("preprocess", "--help")).isZero();
        assertThat(stdout()).contains("--text-model", "--tokenizer", "--vae", "--vae-encoder", "--vae-decoder",
                "--scaling-factor", "--clips-per-video", "--split", "--limit", "--threads", "--engine", "--master");
    }

    @Test
    void theSyntheticSetWithoutVaeUsesTheDemoCodecWithItsFactor() throws Exception {
        Path demo = DefaultModel.directory().orElseThrow();
        double factor = ModelBundle.read(demo).info().codec().scalingFactor();
        String[] noVae = {"preprocess", "--data", data.toString(), "--out", tmp.resolve("demo").toString()};

        PreprocessCommand.Parsed p = parse(noVae);

        assertThat(p.models().scalingFactor()).isEqualTo(factor).isNotEqualTo(OnnxVae.SD_SCALING_FACTOR);
        assertThat(p.models().vaeEncoder()).isEqualTo(demo.resolve("codec/encoder.onnx"));
        assertThat(p.models().vaeDecoder()).isEqualTo(demo.resolve("codec/decoder.onnx"));
        assertThat(p.codecNote()).contains("bundled demo codec", String.valueOf(factor));
        String[] disagreeing = java.util.Arrays.copyOf(noVae, noVae.length + 2);
        disagreeing[noVae.length] = "--scaling-factor";
        disagreeing[noVae.length + 1] = "0.18215";
        expectUsage(disagreeing, "--scaling-factor: expected the bundled demo codec's own factor " + factor);
    }

    @Test
    void theRetrievalSplitsAreOfferedAndNeedTheirCsvs() throws Exception {
        assertThat(run("preprocess", "--help")).isZero();
        assertThat(stdout()).contains("9k-train", "1k-a-test");
        PreprocessCommand.Parsed p = parse(args(tmp.resolve("nine-k"), "--split", "9k-train,1k-a-test"));
        assertThat(p.config().splits().names()).containsExactly("9k-train", "1k-a-test");
        // The synthetic set has no retrieval CSVs: the run fails naming the file it looked for
        assertThat(run(args(tmp.resolve("nine-k"), "--split", "9k-train"))).isEqualTo(Main.FAILURE);
        assertThat(stderr()).contains("MSRVTT_train.9k.csv");
    }

    @Test
    void theVaeCanBeGivenAsTwoFiles() {
        Path o = tmp.resolve("two-files");
        List<String> a = new ArrayList<>(List.of(args(o)));
        int at = a.indexOf("--vae");
        a.remove(at);
        a.remove(at);
        a.addAll(List.of("--vae-encoder", models.vae().encoder().toString(), "--vae-decoder",
                models.vae().decoder().toString(), "--limit", "2", "--split", "train"));
        assertThat(run(a.toArray(String[]::new))).as(stderr()).isZero();
        assertThat(stdout()).contains("videos: 2 selected");
    }

    @Test
    void badFlagsExitTwoNamingTheFlag() throws IOException {
        Path o = tmp.resolve("bad");
        expectUsage(args(o, "--frames", "0"), "--frames: expected an integer in [1, 256], got '0'");
        expectUsage(args(o, "--fps", "fast"), "--fps: expected a number");
        expectUsage(args(o, "--size", "36"), "--size: expected a multiple of the codec's downsample 8, got '36'");
        expectUsage(args(o, "--clips-per-video", "0"), "--clips-per-video: expected an integer in [1, 100]");
        expectUsage(args(o, "--threads", "0"), "--threads: expected an integer in [1, 256]");
        expectUsage(args(o, "--limit", "-3"), "--limit: expected an integer");
        expectUsage(args(o, "--split", "train,dev"), "--split: expected a comma-separated list of train, validate, "
                + "test, 9k-train, 1k-a-test; got \"dev\"");
        expectUsage(args(o, "--split", "train,1k-a-test"), "--split: official splits (train, validate, test) and "
                + "retrieval splits (9k-train, 1k-a-test) cannot be mixed");
        expectUsage(args(o, "--max-tokens", "1"), "--max-tokens: expected an integer in [2, 512]");
        expectUsage(args(o, "--scaling-factor", "0"), "--scaling-factor: expected a number");
        expectUsage(args(o, "--vae-encoder", "e.onnx"), "--vae and --vae-encoder/--vae-decoder are alternatives");
        expectUsage(new String[] {"preprocess", "--out", o.toString(), "--vae", models.vae().dir().toString()},
                "--data is required");
        expectUsage(new String[] {"preprocess", "--data", tmp.resolve("nope").toString(), "--out", o.toString(),
                "--vae", models.vae().dir().toString()}, "--data: expected an existing file or directory");
        Path plain = Files.createDirectories(tmp.resolve("plain")); // not the synthetic set: no default codec
        expectUsage(new String[] {"preprocess", "--data", plain.toString(), "--out", o.toString()},
                "a codec is required: --vae DIR");
        assertThat(stderr()).contains("only the synthetic set of t2v synth defaults to the bundled demo codec");
        expectUsage(new String[] {"preprocess", "--data", data.toString(), "--out", o.toString(), "--vae-encoder",
                models.vae().encoder().toString()}, "--vae-decoder is required with --vae-encoder");
        expectUsage(new String[] {"preprocess", "--data", data.toString(), "--out", o.toString(), "--text-model",
                models.text().model().toString(), "--vae", models.vae().dir().toString()},
                "--tokenizer is required with --text-model");
        expectUsage(new String[] {"preprocess", "--data", data.toString(), "--out", o.toString(), "--text-model",
                tmp.resolve("missing.onnx").toString(), "--tokenizer", models.text().tokenizer().toString(), "--vae",
                models.vae().dir().toString()}, "--text-model: expected an existing file");
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        expectUsage(new String[] {"preprocess", "--data", data.toString(), "--out", file.toString(), "--vae",
                models.vae().dir().toString()}, "--out: expected a directory");
        assertThat(Files.exists(o)).isFalse();
    }

    /** The tiny VAE copied with a {@code codec.json} whose factor is 0.8125, as {@code train-codec} writes it. */
    private Path trainedCodecDir() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("codec"));
        try (var files = Files.list(models.vae().dir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        new CodecInfo(CodecInfo.FORMAT, CodecInfo.VERSION, "encoder.onnx", "decoder.onnx", 0.8125, 4, 8, 1.2307,
                List.of(), CodecInfo.Architecture.of(CodecArchitecture.demo()),
                CodecInfo.Training.of(CodecTrainingConfig.defaults(1500).withSeed(7), 0.0004, 812.5),
                new CodecInfo.Data("sha256:abc", 128, 8, 152, 1216),
                new CodecInfo.HeldOut(33.1, 29.5, 32, 256, List.of("validate", "test"))).write(dir);
        return dir;
    }

    private PreprocessCommand.Parsed parse(String[] args) throws Exception {
        PreprocessCommand c = new PreprocessCommand();
        return PreprocessCommand.parse(new DefaultParser().parse(c.options(),
                java.util.Arrays.copyOfRange(args, 1, args.length)));
    }

    @Test
    void endingWithNoUsableClipsExitsOneWithTheReason() throws IOException {
        Path broken = PreprocessFixtures.syntheticSet(tmp.resolve("broken"), 2);
        try (var videos = Files.list(broken.resolve("videos"))) {
            for (Path v : videos.toList()) {
                Files.writeString(v, "not a video");
            }
        }
        String[] a = args(tmp.resolve("none"), "--data", broken.toString());
        assertThat(run(a)).as(stderr()).isEqualTo(Main.FAILURE);
        assertThat(stderr()).contains("t2v preprocess: no usable clips: 2 of 2 selected videos were unusable",
                "bad-videos.tsv");
    }

    @Test
    void aTrainedCodecsOwnScalingFactorIsUsedAndADisagreeingFlagRefused() throws Exception {
        Path codec = trainedCodecDir();
        Path o = tmp.resolve("scaled");
        assertThat(parse(args(o, "--vae", codec.toString())).models().scalingFactor()).isEqualTo(0.8125);
        assertThat(parse(args(o, "--vae", codec.toString(), "--scaling-factor", "0.8125")).models().scalingFactor())
                .isEqualTo(0.8125);
        expectUsage(args(o, "--vae", codec.toString(), "--scaling-factor", "0.18215"), "--scaling-factor: expected "
                + "the codec's own factor 0.8125 from " + codec.resolve("codec.json") + " (omit the flag to use it)");
        assertThat(parse(args(o)).models().scalingFactor()).isEqualTo(0.18215); // no codec.json: SD's
    }

    private void expectUsage(String[] args, String message) {
        assertThat(run(args)).as(stderr()).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("t2v preprocess: " + message);
    }

    @Test
    void aFolderWithoutAnnotationFailsWithExitOneSayingWhatWasLookedFor() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        int code = run("preprocess", "--data", empty.toString(), "--out", tmp.resolve("o").toString(),
                "--text-model", models.text().model().toString(), "--tokenizer", models.text().tokenizer().toString(),
                "--max-tokens", "16", "--vae", models.vae().dir().toString(), "--size", "32");
        assertThat(code).isEqualTo(Main.FAILURE);
        assertThat(stderr()).contains("t2v preprocess: ", "no annotation found", "annotation/MSRVTT_data.json");
    }
}
