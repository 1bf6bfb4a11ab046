package dev.t2v.data.encode;

import dev.t2v.core.bundle.*;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.core.model.Denoiser;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEmbeddings;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.fixtures.OnnxFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelBundleTest {
    @TempDir
    static Path fixtures;
    @TempDir
    Path tmp;

    static OnnxFixtures.TextModelFiles bert;
    static OnnxFixtures.VaeFiles vae;
    static TextEncoderRef textRef;
    static CodecRef codecRef;
    /** The tiny preset with the tiny BERT's width. */
    static final DenoiserConfig CFG = DenoiserConfig.preset("tiny").withTextDim(24);

    @BeforeAll
    static void models() throws IOException {
        bert = OnnxFixtures.writeTinyBert(fixtures.resolve("text"));
        vae = OnnxFixtures.writeTinyVae(fixtures.resolve("vae"));
        try (OnnxTextEncoder t = OnnxTextEncoder.open(bert.tokenizer(), bert.model(),
                OnnxTextEncoder.Options.defaults().withMaxTokens(12));
                OnnxVae v = OnnxVae.fromDirectory(vae.dir(), OnnxVae.SD_SCALING_FACTOR)) {
            textRef = BundleEncoders.ref(t);
            codecRef = BundleEncoders.ref(v);
        }
    }

    static BundleInfo info(DenoiserConfig cfg, TextEncoderRef text, CodecRef codec) {
        return new BundleInfo(cfg, SchedulerConfig.seed(), text, codec, new VideoSpec(cfg.frames(), 8.0, 64),
                SamplingDefaults.defaults(), new Provenance("abc123", 42, 3, 7, null, "2026-01-01T00:00:00Z",
                        "{\"learning_rate\":0.001}", "test"));
    }

    static NullTextEmbedding nullText(int dim) {
        return new NullTextEmbedding(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, dim).subi(0.5),
                Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2));
    }

    /** The model's weights with every tensor randomised, so a mix-up of any two would show in the outputs. */
    static Map<String, INDArray> randomWeights(Denoiser m) {
        SplittableRandom r = new SplittableRandom(3);
        Map<String, INDArray> out = new LinkedHashMap<>();
        m.weights().forEach((k, w) -> {
            float[] v = new float[(int) w.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * 0.05);
            }
            out.put(k, Nd4j.create(v, w.shape(), 'c'));
        });
        return out;
    }

    @Test
    void aWrittenBundleReadsBackAndRecreatesTheSameDenoiserOutputs() throws IOException {
        Path dir = tmp.resolve("model");
        try (Denoiser original = Denoiser.create(CFG, 1)) {
            Map<String, INDArray> weights = randomWeights(original);
            NullTextEmbedding nt = nullText(24);
            ModelBundle written = ModelBundle.write(dir, info(CFG, textRef, codecRef), weights, nt);
            ModelBundle read = ModelBundle.read(dir);
            assertThat(read.info()).isEqualTo(written.info());
            assertThat(read.info().denoiser()).isEqualTo(CFG);
            assertThat(read.info().provenance().steps()).isEqualTo(42);
            assertThat(read.nullText()).isEqualTo(nt);

            INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, CFG.frames(), 4, 8, 8);
            INDArray t = Nd4j.create(new float[] {10, 700}, new long[] {2}, 'c');
            INDArray text = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 5, 24);
            INDArray mask = Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 5);
            try (Denoiser expected = Denoiser.fromWeights(CFG, weights); Denoiser loaded = read.loadDenoiser()) {
                assertThat(loaded.forward(x, t, text, mask)).isEqualTo(expected.forward(x, t, text, mask));
            }
        }
    }

    @Test
    void smallModelFilesAreCopiedInAndTheEncoderAndCodecReopenFromTheBundle() throws IOException {
        Path dir = tmp.resolve("model");
        try (Denoiser m = Denoiser.create(CFG, 1)) {
            ModelBundle.write(dir, info(CFG, textRef, codecRef), m.weights(), nullText(24));
        }
        ModelBundle b = ModelBundle.read(dir);
        assertThat(b.info().textEncoder().model()).isEqualTo("text/model.onnx");
        assertThat(b.info().codec().decoder()).isEqualTo("codec/decoder.onnx");
        assertThat(dir.resolve("codec/encoder.onnx")).hasSameBinaryContentAs(vae.encoder());
        // The bundle no longer needs the original files.
        Path moved = tmp.resolve("moved");
        Files.move(dir, moved);
        ModelBundle again = ModelBundle.read(moved);
        try (TextEncoder text = BundleEncoders.openTextEncoder(again); OnnxVae codec = BundleEncoders.openCodec(again)) {
            TextEmbeddings e = text.encode(List.of("a red circle"));
            assertThat(e.dim()).isEqualTo(24);
            assertThat(codec.id()).isEqualTo(codecRef.id());
            assertThat(codec.decode(Nd4j.zeros(1, 4, 8, 8)).shape()).containsExactly(1, 3, 64, 64);
        }
    }

    @Test
    void aWrittenBundleGetsThePermissionsAnyNewFileAndFolderGets() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        var plainFile = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("plain-file")));
        var plainDir = Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("plain-dir")));
        Path dir = tmp.resolve("model");
        try (Denoiser m = Denoiser.create(CFG, 1)) {
            ModelBundle.write(dir, info(CFG, textRef, codecRef), m.weights(), nullText(24));
        }
        try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                assertThat(Files.getPosixFilePermissions(p)).as(dir.relativize(p).toString())
                        .isEqualTo(Files.isDirectory(p) ? plainDir : plainFile);
            }
        }
    }

    @Test
    void modelJsonCarriesTheSchedulerReferencesVideoSamplingAndProvenance() throws IOException {
        Path dir = tmp.resolve("model");
        try (Denoiser m = Denoiser.create(CFG, 1)) {
            ModelBundle.write(dir, info(CFG, textRef, codecRef), m.weights(), nullText(24));
        }
        String json = Files.readString(dir.resolve(ModelBundle.MODEL_JSON));
        assertThat(json).contains("\"format_version\" : 1", "\"beta_schedule\" : \"scaled_linear\"",
                "\"kind\" : \"onnx\"", "\"kind\" : \"onnx-vae\"", "\"scaling_factor\" : 0.18215",
                "\"sampler\" : \"dpmpp\"", "\"data_manifest_sha256\" : \"abc123\"", "\"learning_rate\" : 0.001");
    }

    @Test
    void aGuidanceIntervalRoundTripsAndOlderBundlesGuideEveryStep() throws IOException {
        Path dir = tmp.resolve("model");
        BundleInfo plain = info(CFG, textRef, codecRef);
        BundleInfo limited = new BundleInfo(plain.denoiser(), plain.scheduler(), plain.textEncoder(), plain.codec(),
                plain.video(), new SamplingDefaults("dpmpp", 20, 5.0, GuidanceInterval.parse("0,700")),
                plain.provenance());
        try (Denoiser m = Denoiser.create(CFG, 1)) {
            ModelBundle.write(dir, limited, m.weights(), nullText(24));
        }
        assertThat(Files.readString(dir.resolve(ModelBundle.MODEL_JSON))).contains("\"guidance_interval\" : \"0,700\"");
        assertThat(ModelBundle.read(dir).info().sampling().guidanceInterval()).isEqualTo(new GuidanceInterval(0, 700));
        Path old = tmp.resolve("old");
        try (Denoiser m = Denoiser.create(CFG, 1)) {
            ModelBundle.write(old, plain, m.weights(), nullText(24));
        }
        assertThat(Files.readString(old.resolve(ModelBundle.MODEL_JSON))).doesNotContain("guidance_interval");
        assertThat(ModelBundle.read(old).info().sampling().guidanceInterval()).isEqualTo(GuidanceInterval.ALWAYS);
    }

    @Test
    void aNonFiniteWeightIsNeverWritten() throws IOException {
        Path dir = tmp.resolve("model");
        try (Denoiser m = Denoiser.create(CFG, 1)) {
            Map<String, INDArray> w = new LinkedHashMap<>(m.weights());
            INDArray bad = w.get("final_layer.linear.bias").dup();
            bad.putScalar(0, Float.NaN);
            w.put("final_layer.linear.bias", bad);
            assertThatThrownBy(() -> ModelBundle.write(dir, info(CFG, textRef, codecRef), w, nullText(24)))
                    .hasMessageContaining("final_layer.linear.bias").hasMessageContaining("non-finite");
        }
        assertThat(dir).doesNotExist();
        try (var s = Files.list(tmp)) {
            assertThat(s.toList()).as("no temp directory left behind").isEmpty();
        }
    }

    @Test
    void aMissingFileOrBadFieldIsReportedNamingIt() throws IOException {
        // MiniLM is 384 wide, the config 24: an inconsistent model.json cannot even be built.
        assertThatThrownBy(() -> info(CFG, BundleEncoders.miniLm(16), null)).hasMessageContaining("text_dim");
        Path dir = tmp.resolve("model");
        assertThatThrownBy(() -> ModelBundle.read(tmp.resolve("nothing"))).hasMessageContaining("not a model bundle");
        try (Denoiser m = Denoiser.create(CFG, 1)) {
            ModelBundle.write(dir, info(CFG, textRef, null), m.weights(), nullText(24));
        }
        assertThatThrownBy(() -> BundleEncoders.openCodec(ModelBundle.read(dir))).hasMessageContaining("no codec");
        String json = Files.readString(dir.resolve(ModelBundle.MODEL_JSON));
        Files.writeString(dir.resolve(ModelBundle.MODEL_JSON), json.replace("\"sampler\" : \"dpmpp\"",
                "\"sampler\" : \"euler\""));
        assertThatThrownBy(() -> ModelBundle.read(dir)).hasMessageContaining("model.json").hasMessageContaining("sampler");
        Files.writeString(dir.resolve(ModelBundle.MODEL_JSON), json);
        Files.delete(dir.resolve(ModelBundle.NULL_TEXT_FILE));
        assertThatThrownBy(() -> ModelBundle.read(dir)).hasMessageContaining(ModelBundle.NULL_TEXT_FILE);
    }

    @Test
    void aCodecWhoseFilesChangedIsRefused() throws IOException {
        Path dir = tmp.resolve("model");
        try (Denoiser m = Denoiser.create(CFG, 1)) {
            ModelBundle.write(dir, info(CFG, textRef, codecRef), m.weights(), nullText(24));
        }
        // Another VAE's decoder in place of the bundled one.
        OnnxFixtures.VaeFiles other = OnnxFixtures.writeTinyVae(tmp.resolve("other"), false);
        Files.delete(dir.resolve("codec/encoder.onnx"));
        Files.copy(other.encoder(), dir.resolve("codec/encoder.onnx"));
        assertThatThrownBy(() -> BundleEncoders.openCodec(ModelBundle.read(dir))).hasMessageContaining("not the codec");
    }

    @Test
    void miniLmIsReferencedByKindWithoutFiles() throws IOException {
        TextEncoderRef ref = BundleEncoders.miniLm(16);
        assertThat(ref.id()).startsWith("all-MiniLM-L6-v2@");
        DenoiserConfig cfg = DenoiserConfig.preset("tiny");
        Path dir = tmp.resolve("model");
        try (Denoiser m = Denoiser.create(cfg, 1)) {
            ModelBundle.write(dir, info(cfg, ref, null), m.weights(), nullText(384));
        }
        assertThat(Files.readString(dir.resolve(ModelBundle.MODEL_JSON))).contains("\"kind\" : \"minilm\"");
        assertThat(ModelBundle.read(dir).info().textEncoder()).isEqualTo(ref);
    }
}
