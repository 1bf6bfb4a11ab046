package dev.t2v.train.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.encode.OnnxVae;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Trains a tiny codec for a few steps on a tiny generated set once, writes it, and checks what was written. */
class CodecWriterTest {
    @TempDir
    static Path tmp;
    static CodecData data;
    static CodecInfo info;
    static Path codecDir;
    static CodecTrainingConfig cfg = new CodecTrainingConfig(6, 4, 32, 3e-3, 1, 0.2, 5, 0.05, 1e-4);

    @BeforeAll
    static void trainAndWrite() throws IOException {
        Path set = TinySets.write(tmp.resolve("set"), 10, 4);
        data = CodecData.sources(set, 8).load(64, 3, ProgressBar.silent());
        codecDir = tmp.resolve("codec");
        try (CodecModel model = CodecModel.create(CodecArchitecture.tiny(), cfg.initSeed())) {
            CodecTrainer.Result r = CodecTrainer.train(model, data.train(), cfg, ProgressBar.silent());
            info = CodecWriter.write(model, cfg, r, data, codecDir);
        }
    }

    @Test
    void theDirectoryHoldsExactlyThePairAndItsDescription() throws IOException {
        try (Stream<Path> files = Files.list(codecDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("encoder.onnx",
                    "decoder.onnx", "codec.json");
        }
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString())).as("no staging directory is left behind")
                    .noneMatch(n -> n.startsWith("."));
        }
        assertThat(CodecInfo.read(codecDir)).isEqualTo(info);
        assertThat(info.training().steps()).isEqualTo(6);
        assertThat(info.training().seed()).isEqualTo(5);
        assertThat(info.data().hash()).isEqualTo(data.hash()).startsWith("sha256:");
        assertThat(info.data().trainFrames()).isEqualTo(data.train().count());
        assertThat(info.heldOut().frames()).isEqualTo(data.heldOut().count());
    }

    @Test
    void theCodecFolderAndItsFilesGetThePermissionsAnyNewOnesGet() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path probe = Files.createTempDirectory("t2v-perm-probe");
        try {
            var plainFile = Files.getPosixFilePermissions(Files.createFile(probe.resolve("f")));
            var plainDir = Files.getPosixFilePermissions(Files.createDirectory(probe.resolve("d")));
            assertThat(Files.getPosixFilePermissions(codecDir)).isEqualTo(plainDir);
            for (String f : List.of("encoder.onnx", "decoder.onnx", "codec.json")) {
                assertThat(Files.getPosixFilePermissions(codecDir.resolve(f))).as(f).isEqualTo(plainFile);
            }
        } finally {
            try (Stream<Path> s = Files.walk(probe)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void thePairLoadsThroughOnnxVaeAndRoundTripsShapes() throws IOException {
        try (OnnxVae vae = OnnxVae.fromDirectory(codecDir, info.scalingFactor())) {
            assertThat(vae.latentChannels()).isEqualTo(4);
            INDArray z = vae.encode(data.heldOut().tensor(0, 2));
            assertThat(z.shape()).containsExactly(2, 4, 8, 8);
            assertThat(vae.decode(z).shape()).containsExactly(2, 3, 64, 64);
            INDArray wide = vae.encode(CodecOnnxExportTest.uniform(3, 3, 3, 16, 40));
            assertThat(wide.shape()).containsExactly(3, 4, 2, 5);
            assertThat(vae.decode(wide).shape()).containsExactly(3, 3, 16, 40);
        }
    }

    @Test
    void scaledTrainingLatentsHaveUnitStdAndZeroMeanPerChannel() throws IOException {
        try (OnnxVae vae = OnnxVae.fromDirectory(codecDir, info.scalingFactor())) {
            INDArray z = vae.encode(data.train().tensor(0, data.train().count()));
            // the statistics were taken over these same frames, so they hold up to float rounding
            double var = 0;
            for (int c = 0; c < 4; c++) {
                INDArray zc = z.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.point(c));
                double mean = zc.meanNumber().doubleValue();
                assertThat(mean).as("channel %d mean", c).isCloseTo(0, within(1e-3));
                var += zc.varNumber().doubleValue() * (zc.length() - 1) / zc.length();
            }
            assertThat(Math.sqrt(var / 4)).isCloseTo(1, within(1e-3));
        }
        assertThat(info.scalingFactor()).isCloseTo(1 / info.latentStd(), within(1e-12));
    }

    @Test
    void theReportedPsnrIsTheRoundTripThroughTheWrittenFiles() throws IOException {
        double[] psnr;
        try (OnnxVae vae = OnnxVae.fromDirectory(codecDir, info.scalingFactor())) {
            INDArray recon = vae.decode(vae.encode(data.heldOut().tensor(0, data.heldOut().count())));
            psnr = Psnr.perFrame(recon, data.heldOut(), 0);
        }
        assertThat(info.heldOut().psnrDb()).isCloseTo(Arrays.stream(psnr).average().orElseThrow(), within(1e-3));
        assertThat(info.heldOut().minPsnrDb()).isCloseTo(Arrays.stream(psnr).min().orElseThrow(), within(1e-3));
    }

    @Test
    void writingAgainReplacesTheFilesOfAnExistingDirectory() throws IOException {
        Path dir = tmp.resolve("again");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("codec.json"), "stale");
        Files.writeString(dir.resolve("notes.txt"), "kept");
        CodecTrainingConfig one = new CodecTrainingConfig(1, 2, 32, 1e-3, 0, 1, 9, 0, 0);
        try (CodecModel model = CodecModel.create(CodecArchitecture.tiny(), one.initSeed())) {
            CodecTrainer.Result r = CodecTrainer.train(model, data.train(), one, ProgressBar.silent());
            CodecInfo again = CodecWriter.write(model, one, r, data, dir);
            assertThat(CodecInfo.read(dir)).isEqualTo(again);
        }
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("kept");
        try (Stream<Path> siblings = Files.list(tmp)) {
            assertThat(siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList()).isEmpty();
        }
        assertThat(List.of("encoder.onnx", "decoder.onnx")).allSatisfy(f -> assertThat(dir.resolve(f)).isRegularFile());
    }
}
