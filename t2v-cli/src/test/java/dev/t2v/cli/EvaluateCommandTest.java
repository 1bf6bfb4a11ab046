package dev.t2v.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.data.fixtures.OnnxFixtures;
import dev.t2v.data.synthetic.Colour;
import dev.t2v.data.synthetic.Combo;
import dev.t2v.data.synthetic.Direction;
import dev.t2v.data.synthetic.PromptSpec;
import dev.t2v.data.synthetic.PromptsTsv;
import dev.t2v.data.synthetic.Shape;
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
    }
}
