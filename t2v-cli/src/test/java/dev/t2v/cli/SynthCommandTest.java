package dev.t2v.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.data.msrvtt.MsrVttDataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.withAllCommands().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesASmallSetAndSaysWhere() throws IOException {
        Path dir = tmp.resolve("shapes");
        int code = run("synth", "--out", dir.toString(), "--videos", "5", "--size", "32", "--frames", "4", "--fps", "4",
                "--seed", "3");

        assertThat(code).as(stderr()).isZero();
        MsrVttDataset ds = MsrVttDataset.open(dir);
        assertThat(ds.clips()).hasSize(5);
        assertThat(ds.missingVideos()).isEmpty();
        assertThat(ds.clips().get(0).video().endTime()).isEqualTo(1.0);
        assertThat(Files.exists(dir.resolve("annotation/prompts.tsv"))).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote 5 clips to " + dir, "test prompts: ");
        assertThat(stderr()).contains("synth", "5/5");
    }

    @Test
    void isListedInTheHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("synth").contains("moving-shapes");
    }

    @Test
    void badValuesExitTwoNamingTheFlag() throws IOException {
        String dir = tmp.resolve("x").toString();
        assertThat(run("synth", "--out", dir, "--size", "100")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--size: expected a multiple of 16 in [32, 512], got '100'");
        assertThat(run("synth", "--out", dir, "--frames", "65")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--frames: expected an integer in [2, 64], got '65'");
        assertThat(run("synth", "--out", dir, "--videos", "many")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--videos: expected an integer");
        assertThat(run("synth", "--out", dir, "--fps", "0")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--fps: expected a number in [1.0, 60.0], got '0'");
        assertThat(run("synth", "--out", dir, "--seed", "1.5")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--seed: expected an integer");
        assertThat(run("synth", "--videos", "3")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--out is required");
        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        assertThat(run("synth", "--out", file.toString())).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--out: expected a directory");
        assertThat(Files.exists(tmp.resolve("x"))).isFalse();
    }
}
