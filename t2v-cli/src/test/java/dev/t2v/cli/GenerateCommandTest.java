package dev.t2v.cli;

import dev.t2v.data.video.Ffmpeg;
import dev.t2v.data.video.Video;
import dev.t2v.data.video.VideoReader;
import dev.t2v.inference.TinyBundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTest {
    @TempDir
    static Path shared;
    static Path bundle;

    @TempDir
    Path tmp;

    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeAll
    static void writeBundle() throws IOException {
        bundle = TinyBundle.write(shared.resolve("tiny"), 4);
    }

    @BeforeEach
    void clearStreams() {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.withAllCommands().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesAnMp4WithTheRequestedFrameCount() throws IOException {
        Path mp4 = tmp.resolve("red.mp4");
        int code = run("generate", "--prompt", "a red circle moving left", "--model", bundle.toString(), "--out",
                mp4.toString(), "--frames", "6", "--steps", "2", "--seed", "5");
        assertThat(code).as(stderr()).isZero();
        assertThat(stdout()).contains("wrote " + mp4 + ": 6 frames, 64x64, 8 fps, ddim 2 steps, seed 5")
                .containsPattern("time: load [0-9.]+ s, generate [0-9.]+ s \\([0-9.]+ s/step\\)");
        assertThat(stderr()).contains("denoise").contains("2/2").contains("decode");
        try (VideoReader r = VideoReader.open(mp4)) {
            assertThat(r.readAll().frameCount()).isEqualTo(6);
        }
        Ffmpeg.assumeAvailable();
        assertThat(Ffmpeg.probe(mp4)).containsEntry("nb_read_frames", "6").containsEntry("width", "64");
    }

    @Test
    void gifAndPngContactSheetOutputsWork() throws IOException {
        Path gif = tmp.resolve("v.gif");
        assertThat(run("generate", "--prompt", "a cat", "--model", bundle.toString(), "--out", gif.toString(),
                "--steps", "1", "--sampler", "dpmpp", "--guidance", "1")).as(stderr()).isZero();
        List<BufferedImage> gifFrames = readGif(gif);
        assertThat(gifFrames).hasSize(4);

        Path png = tmp.resolve("v.png");
        assertThat(run("generate", "--prompt", "a cat", "--model", bundle.toString(), "--out", png.toString(),
                "--steps", "1", "--sampler", "ddpm", "--backend", "ort")).as(stderr()).isZero();
        BufferedImage sheet = ImageIO.read(png.toFile());
        assertThat(sheet.getWidth()).isGreaterThanOrEqualTo(64);
    }

    private static List<BufferedImage> readGif(Path gif) throws IOException {
        var reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (var in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            int n = reader.getNumImages(true);
            List<BufferedImage> frames = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                frames.add(reader.read(i));
            }
            return frames;
        } finally {
            reader.dispose();
        }
    }

    @Test
    void anEmptyPromptGeneratesAnUnconditionalVideo() {
        Path gif = tmp.resolve("unconditional.gif");
        assertThat(run("generate", "--prompt", "", "--model", bundle.toString(), "--out", gif.toString(),
                "--steps", "1", "--frames", "2")).as(stderr()).isZero();
        assertThat(gif).isNotEmptyFile();
    }

    @Test
    void videoToVideoFromAnInitVideo() throws IOException {
        Path init = tmp.resolve("init.mp4");
        Video.fromTensor(org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 3, 48, 80)
                .addi(0.3), 8).writeMp4(init);
        Path outFile = tmp.resolve("v2v.gif");
        assertThat(run("generate", "--prompt", "a cat", "--model", bundle.toString(), "--out", outFile.toString(),
                "--init-video", init.toString(), "--strength", "0.5", "--steps", "4", "--frames", "3"))
                .as(stderr()).isZero();
        assertThat(readGif(outFile)).hasSize(3);
        assertThat(stderr()).contains("denoise").contains("2/2");
    }

    @Test
    void badFlagsExitTwoNamingTheFlagBeforeLoadingTheModel() {
        String m = bundle.toString();
        String o = tmp.resolve("x.mp4").toString();
        assertUsage("--out", "generate", "--prompt", "p", "--model", m, "--out", tmp.resolve("x.avi").toString());
        assertThat(stderr()).contains(".mp4, .gif or .png");
        assertUsage("--steps", "generate", "--prompt", "p", "--model", m, "--out", o, "--steps", "0");
        assertUsage("--frames", "generate", "--prompt", "p", "--model", m, "--out", o, "--frames", "many");
        assertUsage("--guidance", "generate", "--prompt", "p", "--model", m, "--out", o, "--guidance", "31");
        assertUsage("--sampler", "generate", "--prompt", "p", "--model", m, "--out", o, "--sampler", "euler");
        assertUsage("--eta", "generate", "--prompt", "p", "--model", m, "--out", o, "--eta", "2");
        assertUsage("--strength", "generate", "--prompt", "p", "--model", m, "--out", o, "--strength", "0.5");
        assertUsage("--backend", "generate", "--prompt", "p", "--model", m, "--out", o, "--backend", "tf");
        assertUsage("--guidance-interval", "generate", "--prompt", "p", "--model", m, "--out", o,
                "--guidance-interval", "700,0");
        assertUsage("--prompt", "generate", "--model", m, "--out", o);
        // Checked before anything loads: the model folder does not even exist.
        assertUsage("--prompt", "generate", "--prompt", "a".repeat(5000), "--model", tmp.resolve("absent").toString(),
                "--out", o);
        assertThat(stderr()).contains("at most 1000 characters").contains("5000 characters");
        assertUsage("--negative", "generate", "--prompt", "p", "--negative", "n".repeat(1001), "--model", m, "--out", o);
        assertUsage("--model", "generate", "--prompt", "p", "--model", tmp.resolve("absent").toString(), "--out", o);
        assertUsage("--init-video", "generate", "--prompt", "p", "--model", m, "--out", o, "--init-video",
                tmp.resolve("absent.mp4").toString());
        assertUsage("--out", "generate", "--prompt", "p", "--model", m, "--out", tmp.resolve("no/such/dir/x.mp4").toString());
        assertThat(tmp.resolve("x.mp4")).doesNotExist();
    }

    @Test
    void flagValuesAreCheckedByTheRequestTheWebUsesBeforeTheModelLoads() throws IOException {
        // Loading this would fail with exit 1: exit 2 shows the values were checked first.
        Path notABundle = Files.createDirectory(tmp.resolve("empty"));
        String o = tmp.resolve("x.mp4").toString();
        String[][] cases = {{"guidance", "31", "guidanceScale"}, {"steps", "0", "steps"}, {"frames", "513", "frames"},
            {"fps", "0", "fps"}, {"eta", "2", "eta"}, {"guidance-rescale", "1.5", "guidanceRescale"}};
        for (String[] c : cases) {
            String refused = org.assertj.core.api.Assertions.catchThrowable(() -> {
                var b = dev.t2v.inference.GenerationRequest.builder("p");
                switch (c[2]) {
                    case "guidanceScale" -> b.guidanceScale(Double.parseDouble(c[1]));
                    case "steps" -> b.steps(Integer.parseInt(c[1]));
                    case "frames" -> b.frames(Integer.parseInt(c[1]));
                    case "fps" -> b.fps(Double.parseDouble(c[1]));
                    case "eta" -> b.eta(Double.parseDouble(c[1]));
                    default -> b.guidanceRescale(Double.parseDouble(c[1]));
                }
                b.build();
            }).getMessage();
            assertThat(run("generate", "--prompt", "p", "--model", notABundle.toString(), "--out", o, "--" + c[0], c[1]))
                    .as(stderr()).isEqualTo(Main.USAGE);
            assertThat(stderr().strip()).isEqualTo("t2v generate: --" + c[0] + refused.substring(c[2].length()));
        }
    }

    @Test
    void anOutputFolderThatCannotBeWrittenIsRefusedBeforeTheModelLoads() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path readOnly = Files.createDirectory(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            org.junit.jupiter.api.Assumptions.assumeFalse(Files.isWritable(readOnly),
                    "permissions bind this user (root writes anywhere)");
            // Loading this would fail with exit 1: exit 2 shows the output was checked first.
            Path notABundle = Files.createDirectory(tmp.resolve("empty"));
            assertThat(run("generate", "--prompt", "p", "--model", notABundle.toString(), "--out",
                    readOnly.resolve("x.mp4").toString())).as(stderr()).isEqualTo(Main.USAGE);
            assertThat(stderr()).contains("--out: cannot write in " + readOnly.toAbsolutePath() + ": Permission denied");
        } finally {
            Files.setPosixFilePermissions(readOnly, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFolderThatTakesNoNewFilesIsRefusedWithTheReasonEvenForRoot() throws IOException {
        Path sys = Path.of("/sys");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(sys), "a Linux /sys");
        boolean refuses;
        try {
            Files.delete(Files.createTempFile(sys, ".t2v-test-", ".tmp"));
            refuses = false;
        } catch (IOException e) {
            refuses = true;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(refuses, "/sys refuses new files");
        Path notABundle = Files.createDirectory(tmp.resolve("empty"));
        assertThat(run("generate", "--prompt", "p", "--model", notABundle.toString(), "--out", "/sys/x.mp4"))
                .as(stderr()).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--out: cannot write in /sys: ");
    }

    @Test
    void anOutputInAMissingFolderIsRefusedNamingTheFolder() {
        Path missing = tmp.resolve("no-such-folder");
        assertThat(run("generate", "--prompt", "p", "--model", bundle.toString(), "--out",
                missing.resolve("x.mp4").toString())).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains("--out: the folder " + missing.toAbsolutePath() + " does not exist");
        assertThat(missing).doesNotExist();
    }

    private void assertUsage(String flag, String... args) {
        assertThat(run(args)).as(stderr()).isEqualTo(Main.USAGE);
        assertThat(stderr()).contains(flag);
    }

    @Test
    void withoutAModelItUsesTheBundledDemoModel() {
        Path mp4 = tmp.resolve("demo.mp4");
        assertThat(run("generate", "--prompt", "a red circle moving right", "--out", mp4.toString(), "--steps", "4"))
                .as(stderr()).isZero();
        assertThat(stdout()).contains("wrote " + mp4 + ": 8 frames, 128x128");
    }

    @Test
    void aRuntimeFailureExitsOneWithOneLineAndLeavesNoFile() throws IOException {
        Path o = tmp.resolve("x.mp4");
        Path notABundle = Files.createDirectory(tmp.resolve("empty"));
        assertThat(run("generate", "--prompt", "p", "--model", notABundle.toString(), "--out", o.toString()))
                .isEqualTo(Main.FAILURE);
        assertThat(stderr().strip()).doesNotContain("\n").startsWith("t2v generate: ").contains("model.json");

        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("empty");
        }
    }

    @Test
    void isListedInTheHelpWithItsFlags() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("generate").contains("evaluate");
        assertThat(run("generate", "--help")).isZero();
        assertThat(stdout()).contains("--init-video").contains("--backend").contains("--negative");
    }
}
