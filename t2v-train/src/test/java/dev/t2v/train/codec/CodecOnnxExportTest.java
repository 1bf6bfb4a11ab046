package dev.t2v.train.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.t2v.data.onnx.OnnxSession;
import dev.t2v.data.onnx.OnnxTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CodecOnnxExportTest {
    @TempDir
    Path dir;

    static INDArray uniform(long seed, long... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return Nd4j.create(v, shape, DataType.FLOAT);
    }

    static INDArray run(Path model, String in, String out, INDArray x) {
        try (OnnxSession s = OnnxSession.open(model);
                OnnxTensor t = OnnxTensors.floats(s.env(), x);
                OrtSession.Result r = s.run(Map.of(in, t), Set.of(out))) {
            return OnnxTensors.toArray(r.get(0));
        }
    }

    /** max |a - b| / max |b|: one scale for the whole tensor, so near-zero entries do not dominate. */
    static double relativeError(INDArray a, INDArray b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        return a.sub(b).amaxNumber().doubleValue() / Math.max(1e-12, b.amaxNumber().doubleValue());
    }

    private void assertParity(CodecArchitecture arch, long seed) throws IOException {
        try (CodecModel model = CodecModel.create(arch, seed)) {
            Path enc = CodecOnnxExport.writeEncoder(arch, model.weights(), null, dir.resolve("e" + seed + ".onnx"));
            Path dec = CodecOnnxExport.writeDecoder(arch, model.weights(), null, dir.resolve("d" + seed + ".onnx"));
            INDArray x = uniform(seed + 1, 2, 3, 32, 48);
            INDArray z = model.encode(x);
            assertThat(z.shape()).containsExactly(2, arch.latentChannels(), 32 / arch.downsample(), 48 / arch.downsample());
            assertThat(relativeError(run(enc, "sample", "latent_sample", x), z)).isLessThan(1e-4);
            INDArray zr = uniform(seed + 2, 3, arch.latentChannels(), 5, 3);
            INDArray y = model.decode(zr);
            assertThat(y.shape()).containsExactly(3, 3, 5 * arch.downsample(), 3 * arch.downsample());
            assertThat(relativeError(run(dec, "latent_sample", "sample", zr), y)).isLessThan(1e-4);
        }
    }

    @Test
    void exportedDemoPairMatchesTheSameDiffForwardPassOnRandomInput() throws IOException {
        assertParity(CodecArchitecture.demo(), 11);
    }

    @Test
    void exportedReluPairWithoutPatchesAndTwoConvsPerStageMatchesSameDiff() throws IOException {
        assertParity(new CodecArchitecture(1, List.of(8, 12, 16), List.of(16, 12, 8), 3, 2,
                CodecArchitecture.Activation.RELU), 5);
    }
}
