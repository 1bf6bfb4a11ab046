package dev.t2v.data.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.t2v.data.fixtures.OnnxFixtures;
import dev.t2v.data.fixtures.OnnxFixtures.VaeFiles;
import dev.t2v.core.onnx.ElementType;
import dev.t2v.data.onnx.OnnxModelException;
import dev.t2v.core.onnx.OnnxModelWriter;
import dev.t2v.data.onnx.OnnxSession;
import dev.t2v.data.onnx.OnnxTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class OnnxVaeTest {
    @TempDir
    static Path dir;
    static VaeFiles vae;

    @BeforeAll
    static void writeFixtures() throws IOException {
        vae = OnnxFixtures.writeTinyVae(dir.resolve("vae"));
    }

    private static INDArray frames(int n, int h, int w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] data = new float[n * 3 * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return Nd4j.create(data, new long[] {n, 3, h, w}, DataType.FLOAT);
    }

    /** The model's own output for {@code x}, straight from ONNX Runtime. */
    private static INDArray raw(Path model, String in, String out, INDArray x) {
        try (OnnxSession s = OnnxSession.open(model);
                OnnxTensor t = OnnxTensors.floats(s.env(), x);
                OrtSession.Result r = s.run(Map.of(in, t), Set.of(out))) {
            return OnnxTensors.toArray(r.get(0));
        }
    }

    @Test
    void framesEncodeToLatentsAnEighthTheSizeAndDecodeBack() throws IOException {
        try (OnnxVae codec = OnnxVae.fromDirectory(vae.dir(), OnnxVae.SD_SCALING_FACTOR)) {
            assertThat(codec.latentChannels()).isEqualTo(4);
            assertThat(codec.downsample()).isEqualTo(8);
            assertThat(codec.scalingFactor()).isEqualTo(0.18215);
            INDArray z = codec.encode(frames(5, 32, 48, 1));
            assertThat(z.shape()).containsExactly(5, 4, 4, 6);
            INDArray x = codec.decode(z);
            assertThat(x.shape()).containsExactly(5, 3, 32, 48);
            assertThat(x.dataType()).isEqualTo(DataType.FLOAT);
        }
    }

    @Test
    void encodeKeepsTheMeanChannelsTimesTheScalingFactor() {
        INDArray f = frames(3, 16, 16, 2);
        INDArray params = raw(vae.encoder(), "sample", "latent_sample", f); // [3,8,2,2]: mean then log-variance
        assertThat(params.shape()).containsExactly(3, 8, 2, 2);
        try (OnnxVae codec = new OnnxVae(vae.encoder(), vae.decoder(), 0.5)) {
            INDArray expected = params.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all(),
                    NDArrayIndex.all()).mul(0.5);
            assertThat(codec.encode(f).equalsWithEps(expected, 1e-6)).isTrue();
        }
    }

    @Test
    void aFourChannelEncoderOutputIsTheLatentItself() throws IOException {
        VaeFiles meanOnly = OnnxFixtures.writeTinyVae(dir.resolve("vae-mean"), false);
        INDArray f = frames(2, 16, 8, 3);
        INDArray mean = raw(meanOnly.encoder(), "sample", "latent_sample", f);
        try (OnnxVae codec = new OnnxVae(meanOnly.encoder(), meanOnly.decoder(), 0.25)) {
            assertThat(codec.encode(f).equalsWithEps(mean.mul(0.25), 1e-6)).isTrue();
        }
    }

    @Test
    void decodeDividesByTheScalingFactorFirst() {
        INDArray z = frames(2, 4, 4, 4).reshape(2, 3, 4, 4).get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3),
                NDArrayIndex.all(), NDArrayIndex.all());
        INDArray latents = Nd4j.concat(1, z, z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all(),
                NDArrayIndex.all())); // [2,4,4,4]
        INDArray expected = raw(vae.decoder(), "latent_sample", "sample", latents.div(0.5));
        try (OnnxVae codec = new OnnxVae(vae.encoder(), vae.decoder(), 0.5)) {
            assertThat(codec.decode(latents).equalsWithEps(expected, 1e-6)).isTrue();
        }
    }

    @Test
    void chunkingGivesTheSameResultAsOneChunk() {
        INDArray f = frames(5, 16, 24, 5);
        OnnxVae.Options base = OnnxVae.Options.stableDiffusion();
        try (OnnxVae whole = OnnxVae.open(vae.encoder(), vae.decoder(), base.withChunkSize(16));
                OnnxVae chunked = OnnxVae.open(vae.encoder(), vae.decoder(), base.withChunkSize(2))) {
            INDArray z = whole.encode(f);
            assertThat(chunked.encode(f).equalsWithEps(z, 1e-6)).isTrue();
            assertThat(chunked.decode(z).equalsWithEps(whole.decode(z), 1e-6)).isTrue();
        }
    }

    /** A decoder (1x1 conv, nearest x8) with a fixed or symbolic batch size. */
    private static Path upsampler(String name, Object batch) throws IOException {
        OnnxModelWriter w = OnnxModelWriter.create(name);
        String z = w.input("latent_sample", ElementType.FLOAT, batch, 4, "h", "w");
        float[] weights = new float[3 * 4];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (i % 5) - 2;
        }
        String y = w.resize(w.conv(z, w.initializer("w", weights, 3, 4, 1, 1), "", 1, 0), "nearest", 1, 1, 8, 8);
        w.output(w.rename(y, "sample"), ElementType.FLOAT, batch, 3, "H", "W");
        return w.write(dir.resolve(name).resolve("decoder.onnx"));
    }

    @Test
    void aModelWithAFixedBatchSizeIsFedFullChunks() throws IOException {
        INDArray latents = frames(5, 2, 3, 10).reshape(5, 3, 2, 3); // any values
        latents = Nd4j.concat(1, latents, latents.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1),
                NDArrayIndex.all(), NDArrayIndex.all())); // [5,4,2,3]
        try (OnnxVae fixed = OnnxVae.open(null, upsampler("fixed-batch", 2), OnnxVae.Options.of(1.0));
                OnnxVae free = OnnxVae.open(null, upsampler("free-batch", "batch"), OnnxVae.Options.of(1.0))) {
            INDArray a = fixed.decode(latents); // chunks of 2, 2, then 1 topped up to 2
            assertThat(a.shape()).containsExactly(5, 3, 16, 24);
            assertThat(a.equalsWithEps(free.decode(latents), 1e-6)).isTrue();
        }
    }

    @Test
    void aFlatDirectoryAndADecoderOnlyDirectoryAreFound() throws IOException {
        Path flat = Files.createDirectories(dir.resolve("flat"));
        Files.copy(vae.encoder(), flat.resolve("encoder.onnx"));
        Files.copy(vae.decoder(), flat.resolve("decoder.onnx"));
        try (OnnxVae codec = OnnxVae.fromDirectory(flat, 1.0)) {
            assertThat(codec.canEncode()).isTrue();
            assertThat(codec.encode(frames(1, 8, 8, 6)).shape()).containsExactly(1, 4, 1, 1);
        }
        Path decoderOnly = Files.createDirectories(dir.resolve("decoder-only"));
        Files.copy(vae.decoder(), decoderOnly.resolve("decoder.onnx"));
        try (OnnxVae codec = OnnxVae.fromDirectory(decoderOnly, 1.0)) {
            assertThat(codec.canEncode()).isFalse();
            assertThat(codec.decode(Nd4j.zeros(DataType.FLOAT, 1, 4, 2, 2)).shape()).containsExactly(1, 3, 16, 16);
            assertThatThrownBy(() -> codec.encode(frames(1, 8, 8, 7))).hasMessageContaining("without an encoder");
        }
        assertThatThrownBy(() -> OnnxVae.fromDirectory(dir.resolve("flat").resolve("nothing"), 1.0))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void idIsStableAndIncludesTheScalingFactor() {
        String a;
        try (OnnxVae codec = new OnnxVae(vae.encoder(), vae.decoder(), 0.18215)) {
            a = codec.id();
        }
        try (OnnxVae same = new OnnxVae(vae.encoder(), vae.decoder(), 0.18215);
                OnnxVae other = new OnnxVae(vae.encoder(), vae.decoder(), 0.13025)) {
            assertThat(same.id()).isEqualTo(a);
            assertThat(other.id()).isNotEqualTo(a);
        }
        assertThat(a).matches("vae@[0-9a-f]{12}-[0-9a-f]{12}x0\\.18215");
    }

    @Test
    void framesOfTheWrongShapeAreRejected() {
        try (OnnxVae codec = new OnnxVae(vae.encoder(), vae.decoder(), 1.0)) {
            assertThatThrownBy(() -> codec.encode(frames(1, 12, 16, 8))).hasMessageContaining("multiples of 8");
            assertThatThrownBy(() -> codec.encode(Nd4j.zeros(DataType.FLOAT, 1, 4, 8, 8))).hasMessageContaining("[N,3,H,W]");
            assertThatThrownBy(() -> codec.decode(Nd4j.zeros(DataType.FLOAT, 1, 8, 2, 2))).hasMessageContaining("[N,4,h,w]");
        }
    }

    // ---------------------------------------------------------------- load-time contract checks

    private static Path convModel(String name, String in, int inChannels, String out, int outChannels, int rank)
            throws IOException {
        OnnxModelWriter w = OnnxModelWriter.create(name);
        Object[] dims = rank == 4 ? new Object[] {"batch", inChannels, "h", "w"} : new Object[] {"batch", inChannels, "h"};
        String x = w.input(in, ElementType.FLOAT, dims);
        float[] weights = new float[outChannels * inChannels];
        java.util.Arrays.fill(weights, 0.1f);
        String y = rank == 4
                ? w.conv(x, w.initializer("w", weights, outChannels, inChannels, 1, 1), "", 1, 0)
                : w.op("Conv", x, w.initializer("w", weights, outChannels, inChannels, 1)).out();
        Object[] outDims = rank == 4 ? new Object[] {"batch", outChannels, "h", "w"} : new Object[] {"batch", outChannels, "h"};
        w.output(w.rename(y, out), ElementType.FLOAT, outDims);
        return w.write(dir.resolve("contracts").resolve(name + ".onnx"));
    }

    @Test
    void anEncoderOutputNamedLatentParametersGivesItsMeanHalf() throws IOException {
        // Recent optimum exports call the mean/log-variance output latent_parameters. A 1x1 conv keeps the size.
        Path enc = convModel("enc-params", "sample", 3, "latent_parameters", 8, 4);
        INDArray f = frames(2, 3, 5, 9);
        INDArray params = raw(enc, "sample", "latent_parameters", f);
        try (OnnxVae codec = OnnxVae.open(enc, null, OnnxVae.Options.of(2.0).withDownsample(1))) {
            assertThat(codec.canDecode()).isFalse();
            INDArray expected = params.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4), NDArrayIndex.all(),
                    NDArrayIndex.all()).mul(2.0);
            assertThat(codec.encode(f).equalsWithEps(expected, 1e-6)).isTrue();
        }
        Path fourParams = convModel("enc-params-4", "sample", 3, "latent_parameters", 4, 4);
        assertThatThrownBy(() -> OnnxVae.open(fourParams, null, OnnxVae.Options.of(1.0)))
                .hasMessageStartingWith(fourParams.toString())
                .hasMessageContaining("4 channels; expected 8 (mean and log-variance)");
    }

    @Test
    void modelsThatBreakTheContractAreRejectedNamingTheFile() throws IOException {
        Path wrongInput = convModel("enc-wrong-input", "pixels", 3, "latent_sample", 8, 4);
        assertThatThrownBy(() -> new OnnxVae(wrongInput, vae.decoder(), 1.0))
                .isInstanceOf(OnnxModelException.class)
                .hasMessageStartingWith(wrongInput.toString())
                .hasMessageContaining("unexpected input 'pixels'");

        Path rank3 = convModel("enc-rank3", "sample", 3, "latent_sample", 8, 3);
        assertThatThrownBy(() -> new OnnxVae(rank3, vae.decoder(), 1.0))
                .hasMessageStartingWith(rank3.toString()).hasMessageContaining("rank 3");

        Path sixChannels = convModel("enc-6ch", "sample", 3, "latent_sample", 6, 4);
        assertThatThrownBy(() -> new OnnxVae(sixChannels, vae.decoder(), 1.0))
                .hasMessageStartingWith(sixChannels.toString())
                .hasMessageContaining("6 channels; expected 4 (the latent) or 8");

        Path rgbaIn = convModel("enc-rgba", "sample", 4, "latent_sample", 8, 4);
        assertThatThrownBy(() -> new OnnxVae(rgbaIn, vae.decoder(), 1.0))
                .hasMessageStartingWith(rgbaIn.toString()).hasMessageContaining("expected 3");

        Path decWrongOut = convModel("dec-wrong-out", "latent_sample", 4, "image", 3, 4);
        assertThatThrownBy(() -> new OnnxVae(vae.encoder(), decWrongOut, 1.0))
                .hasMessageStartingWith(decWrongOut.toString()).hasMessageContaining("missing output 'sample'");

        Path missing = dir.resolve("nope.onnx");
        assertThatThrownBy(() -> new OnnxVae(missing, vae.decoder(), 1.0))
                .isInstanceOf(OnnxModelException.class).hasMessageStartingWith(missing.toString());
    }
}
