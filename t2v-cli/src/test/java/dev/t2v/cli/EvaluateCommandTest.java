package dev.t2v.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.fixtures.OnnxFixtures;
import dev.t2v.data.synthetic.Colour;
import dev.t2v.data.synthetic.Combo;
import dev.t2v.data.synthetic.Direction;
import dev.t2v.data.synthetic.PromptSpec;
import dev.t2v.data.synthetic.PromptsTsv;
import dev.t2v.data.synthetic.Shape;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import dev.t2v.inference.TinyBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluateCommandTest {
    @TempDir
    static Path shared;
    static Path bundle;
    static Path prompts;

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void writeBundleAndPrompts() throws IOException {
        bundle = TinyBundle.write(shared.resolve("tiny"), 9);
        prompts = shared.resolve("prompts.tsv");
        PromptsTsv.write(prompts, List.of(
                new PromptSpec("a red circle moving left", new Combo(Colour.RED, Shape.CIRCLE, Direction.LEFT), false),
                new PromptSpec("a blue square moving up", new Combo(Colour.BLUE, Shape.SQUARE, Direction.UP), true)));
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

    @Test
    void adherencePrintsPerAttributeAccuraciesAndWritesJson() throws IOException {
        Path json = tmp.resolve("adherence.json");
        int code = run("evaluate", "--suite", "adherence", "--model", bundle.toString(), "--prompts", prompts.toString(),
                "--samples", "2", "--steps", "2", "--seed", "1", "--json", json.toString());
        assertThat(code).as(stderr()).isZero();
        assertThat(stdout()).contains("group", "colour", "shape", "direction", "seen", "held-out", "all", "speed:",
                "s/step", "wrote " + json);
        assertThat(stdout().lines().filter(l -> l.startsWith("seen ") || l.startsWith("held-out ")))
                .allSatisfy(l -> assertThat(l).contains(" 2 ").containsPattern("\\d+\\.\\d%"));
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("suite").asText()).isEqualTo("adherence");
        assertThat(root.at("/adherence/all/count").asInt()).isEqualTo(4);
        assertThat(root.at("/adherence/items")).hasSize(4);
        assertThat(root.at("/throughput/videos").asInt()).isEqualTo(4);
        assertThat(root.at("/options/steps").asInt()).isEqualTo(2);
        assertThat(root.get("source").asText()).isEqualTo("generated");
        assertThat(root.at("/adherence/held_out/colourInterval").has("low")).isTrue();
        assertThat(root.at("/adherence/all").has("flicker")).isTrue();
        assertThat(root.at("/adherence/items/0/video").asText()).isEqualTo("seed 1");
        assertThat(root.at("/adherence/items/0").has("objects_per_frame")).isTrue();
    }

    @Test
    void groundTruthScoresTheSetsOwnClipsWithoutGenerating() throws IOException {
        Path synth = shared.resolve("synth");
        if (!Files.isDirectory(synth)) {
            // One clip of each of the 72 combinations, 8 frames at 64×64.
            SyntheticSet.generate(synth, SyntheticSpec.of(72, 64, 8, 8, 3), ProgressBar.silent());
        }
        Path json = tmp.resolve("truth.json");
        int code = run("evaluate", "--suite", "adherence", "--model", bundle.toString(), "--prompts", prompts.toString(),
                "--samples", "2", "--ground-truth", synth.toString(), "--json", json.toString());
        assertThat(code).as(stderr()).isZero();
        assertThat(stdout()).contains("objects/frame", "flicker", "ground truth: 2 clips of " + synth,
                "the first 4 frames at 8.0 fps", "fewer than 2 clips of some combinations: 2 clips for 2 prompts")
                .doesNotContain("speed:");
        assertThat(stdout().lines().filter(l -> l.startsWith("all ")))
                .singleElement().asString().contains("100.0% [34.2-100.0]", "1.00");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("source").asText()).isEqualTo("ground-truth");
        assertThat(root.has("throughput")).isFalse();
        assertThat(root.at("/adherence/all/count").asInt()).isEqualTo(2);
        assertThat(root.at("/adherence/all/allThree").asDouble()).isEqualTo(1.0);
        assertThat(root.at("/adherence/all/objectsPerFrame").asDouble()).isEqualTo(1.0);
        assertThat(root.at("/adherence/all/allThreeInterval/low").asDouble()).isBetween(0.3, 0.4);
        JsonNode item = root.at("/adherence/items/0");
        assertThat(item.get("video").asText()).startsWith("video");
        assertThat(item.get("objects_per_frame").asDouble()).isEqualTo(1.0);
        assertThat(item.get("flicker").asDouble()).isBetween(0.05, 0.6);
        assertThat(item.get("detected_colour").asText()).isEqualTo("red");

        // The paraphrases' truth comes from their columns: the set's clips of those combinations read all right.
        code = run("evaluate", "--suite", "adherence", "--model", bundle.toString(), "--paraphrases",
                "--ground-truth", synth.toString());
        assertThat(code).as(stderr()).isZero();
        assertThat(stdout()).contains("ground truth: 36 clips");
        assertThat(stdout().lines().filter(l -> l.startsWith("held-out ")))
                .singleElement().asString().contains(" 18 ", "100.0%");
    }

    @Test
    void throughCodecScoresTheClipsAsTheModelsCodecReturnsThem() throws IOException {
        Path synth = shared.resolve("synth");
        if (!Files.isDirectory(synth)) {
            SyntheticSet.generate(synth, SyntheticSpec.of(72, 64, 8, 8, 3), ProgressBar.silent());
        }
        Path json = tmp.resolve("codec.json");
        int code = run("evaluate", "--suite", "adherence", "--model", bundle.toString(), "--prompts", prompts.toString(),
                "--ground-truth", synth.toString(), "--through-codec", "--json", json.toString());
        assertThat(code).as(stderr()).isZero();
        assertThat(stdout()).contains("ground truth: 2 clips of " + synth, "through the model's codec");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("through_codec").asBoolean()).isTrue();
        assertThat(root.at("/adherence/all/count").asInt()).isEqualTo(2);

        assertThat(run("evaluate", "--suite", "adherence", "--model", bundle.toString(), "--through-codec"))
                .isEqualTo(2);
        assertThat(stderr()).contains("--through-codec is for --ground-truth");
    }

    @Test
    void clipSuiteScoresEachPromptWithTheGivenClip() throws IOException {
        Path clipDir = shared.resolve("clip");
        OnnxFixtures.writeTinyClipPair(clipDir);
        Path plain = Files.writeString(tmp.resolve("prompts.txt"), "# two prompts\na red circle\n\na blue square\n");
        int code = run("evaluate", "--suite", "clip", "--model", bundle.toString(), "--clip", clipDir.toString(),
                "--prompts", plain.toString(), "--steps", "1");
        assertThat(code).as(stderr()).isZero();
        assertThat(stdout()).contains("a red circle", "a blue square", "clipsim", "x100", "mean", "speed:");
    }

    @Test
    void jsonIntoAMissingFolderIsRefusedNamingItAsGenerateDoes() throws IOException {
        Path missing = tmp.resolve("no-such-folder");
        // Loading this would fail with exit 1: exit 2 shows the output was checked first.
        Path notABundle = Files.createDirectory(tmp.resolve("empty"));
        assertThat(run("evaluate", "--suite", "adherence", "--model", notABundle.toString(), "--json",
                missing.resolve("a.json").toString())).as(stderr()).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--json: the folder " + missing.toAbsolutePath() + " does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void jsonIntoAFolderThatCannotBeWrittenIsRefusedBeforeTheEvaluationRuns() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path readOnly = Files.createDirectory(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(readOnly),
                    "permissions bind this user (root writes anywhere)");
            Path notABundle = Files.createDirectory(tmp.resolve("empty"));
            assertThat(run("evaluate", "--suite", "adherence", "--model", notABundle.toString(), "--json",
                    readOnly.resolve("a.json").toString())).as(stderr()).isEqualTo(Main.USAGE);
            assertThat(stderr()).contains("--json: cannot write in " + readOnly.toAbsolutePath()
                    + ": Permission denied");
        } finally {
            Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void badSuiteOrMissingClipIsAUsageError() {
        assertThat(run("evaluate", "--suite", "fid", "--model", bundle.toString())).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--suite");
        assertThat(run("evaluate", "--model", bundle.toString())).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--suite");
        assertThat(run("evaluate", "--suite", "clip", "--model", bundle.toString())).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--clip");
        assertThat(run("evaluate", "--suite", "adherence", "--model", bundle.toString(), "--samples", "0"))
                .isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--samples");
        assertThat(run("evaluate", "--suite", "adherence", "--model", bundle.toString(), "--paraphrases", "--prompts",
                prompts.toString())).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--paraphrases", "--prompts");
        assertThat(run("evaluate", "--suite", "clip", "--model", bundle.toString(), "--ground-truth",
                tmp.toString())).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--ground-truth");
        assertThat(run("evaluate", "--suite", "adherence", "--model", bundle.toString(), "--ground-truth",
                tmp.resolve("missing").toString())).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--ground-truth");
        assertThat(run("evaluate", "--suite", "adherence", "--model", bundle.toString(), "--ground-truth",
                tmp.toString())).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--ground-truth: " + tmp, "no annotation");
    }
}
