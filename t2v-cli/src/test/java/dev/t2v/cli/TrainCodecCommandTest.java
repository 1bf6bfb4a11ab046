package dev.t2v.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.msrvtt.Split;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.data.synthetic.SyntheticSpec;
import dev.t2v.train.codec.CodecInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCodecCommandTest {
    @TempDir
    static Path tmp;
    static Path set;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void writeSet() throws IOException {
        set = tmp.resolve("shapes");
        for (long seed = 0; ; seed++) {
            SyntheticSpec spec = SyntheticSpec.of(6, 64, 3, 8, seed);
            if (SyntheticSet.plan(spec).stream().anyMatch(c -> c.split() != Split.TRAIN)) {
                SyntheticSet.generate(set, spec, ProgressBar.silent());
                return;
            }
        }
    }

    private int run(String... args) {
        return Main.withAllCommands().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainsATinyCodecAndWritesALoadablePair() throws IOException {
        Path dir = tmp.resolve("codec");
        int code = run("train-codec", "--data", set.toString(), "--out", dir.toString(), "--preset", "tiny",
                "--steps", "3", "--batch", "2", "--crop", "32", "--size", "64", "--frames-per-video", "2",
                "--seed", "4", "--lr", "0.001");

        assertThat(code).as(stderr()).isZero();
        CodecInfo info = CodecInfo.read(dir);
        assertThat(info.training().steps()).isEqualTo(3);
        assertThat(info.training().seed()).isEqualTo(4);
        assertThat(info.training().learningRate()).isEqualTo(0.001);
        assertThat(info.data().frameSize()).isEqualTo(64);
        try (OnnxVae vae = OnnxVae.fromDirectory(dir, info.scalingFactor())) {
            assertThat(vae.latentChannels()).isEqualTo(4);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote " + dir, "held-out PSNR", "scaling factor");
        assertThat(stderr()).contains("codec", "3/3", "psnr");
    }

    @Test
    void isListedInTheHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("train-codec");
    }

    @Test
    void badValuesExitTwoNamingTheFlag() {
        String data = set.toString();
        String dir = tmp.resolve("never").toString();
        assertThat(run("train-codec", "--out", dir)).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--data is required");
        assertThat(run("train-codec", "--data", data)).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--out is required");
        assertThat(run("train-codec", "--data", tmp.resolve("missing").toString(), "--out", dir)).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--data: expected an existing file or directory");
        assertThat(run("train-codec", "--data", data, "--out", dir, "--steps", "0")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--steps: expected an integer in [1, 10000000], got '0'");
        assertThat(run("train-codec", "--data", data, "--out", dir, "--crop", "60")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--crop: expected a multiple of 8, got '60'");
        assertThat(run("train-codec", "--data", data, "--out", dir, "--crop", "256")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--crop: expected at most --size (128), got '256'");
        assertThat(run("train-codec", "--data", data, "--out", dir, "--lr", "fast")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--lr: expected a number");
        assertThat(run("train-codec", "--data", data, "--out", dir, "--preset", "huge")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--preset: expected one of demo, tiny, got 'huge'");
        assertThat(run("train-codec", "--data", data, "--out", dir, "--latent-noise", "-1")).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--latent-noise");
        assertThat(Files.exists(Path.of(dir))).isFalse();
    }
}
