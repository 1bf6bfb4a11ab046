package dev.t2v.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.ModelFixtures.Batch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** SameDiff's backward pass through our hand-built layers against central finite differences, in DOUBLE. */
class GradientCheckTest {
    private static final double EPS = 1e-6;

    static Stream<Arguments> cases() {
        List<String> latte = List.of("x_embedder.proj.weight", "t_embedder.mlp.0.weight", "text_proj.weight",
                "blocks.0.adaLN_modulation.1.weight", "blocks.0.attn_spatial.qkv.weight",
                "blocks.0.attn_temporal.qkv.weight", "blocks.1.norm_cross.bias", "blocks.1.cross_attn.kv.weight",
                "blocks.1.mlp.fc1.weight", "final_layer.adaLN_modulation.1.bias", "final_layer.linear.weight");
        List<String> seed = List.of("x_embedder.proj.weight", "pos_embed", "t_embedder.proj.weight", "text_proj.weight",
                "blocks.0.norm1.weight", "blocks.0.attn.qkv.weight", "blocks.1.cross_attn.kv.weight",
                "blocks.1.mlp2.fc2.weight", "norm_out.bias", "proj_out.weight");
        DenoiserConfig tiny = DenoiserConfig.preset("tiny");
        return Stream.of(
                Arguments.of(tiny, 2, 5, latte),
                // Single sample and single token (the size-1 axes). With one key the softmax is 1 whatever the query,
                // so nothing reaches the query side of cross-attention: leave norm_cross out.
                Arguments.of(tiny, 1, 1, latte.stream().filter(n -> !n.contains("norm_cross")).toList()),
                Arguments.of(ModelFixtures.tinySeed().withPooledText(true), 2, 5, seed),
                Arguments.of(ModelFixtures.tinySeed(), 1, 1, seed));
    }

    @ParameterizedTest(name = "{0} B={1} T={2}")
    @MethodSource("cases")
    void analyticGradientsMatchFiniteDifferences(DenoiserConfig cfg, int batchSize, int textLen, List<String> params) {
        try (Denoiser m = Denoiser.create(cfg, 3, DataType.DOUBLE)) {
            // Every weight random (the zero-initialised ones too), so every path carries gradient.
            ModelFixtures.randomise(m, 4, 0.1);
            Batch batch = ModelFixtures.batch(cfg, batchSize, cfg.frames(), textLen, 5, DataType.DOUBLE);
            if (textLen > 1) {
                batch.mask().putScalar(new long[] {batchSize - 1, textLen - 1}, 0.0);
            }
            SameDiff sd = m.sameDiff();
            INDArray probe = ModelFixtures.gaussian(new SplittableRandom(6), DataType.DOUBLE,
                    batch.x().shape());
            // loss = <out, probe>: a random direction, so no symmetric cancellation hides a wrong gradient.
            SDVariable loss = sd.getVariable("out").mul(sd.constant("probe", probe)).sum().rename("probe_loss");
            sd.setLossVariables(loss.name());
            Map<String, INDArray> grads = sd.calculateGradients(batch.feed(), params);

            SplittableRandom pick = new SplittableRandom(7);
            for (String name : params) {
                INDArray w = m.weights().get(name);
                double largest = 0;
                for (int k = 0; k < 2; k++) {
                    long i = pick.nextLong(w.length());
                    double w0 = w.getDouble(i);
                    w.putScalar(i, w0 + EPS);
                    double up = batch.forward(m).mul(probe).sumNumber().doubleValue();
                    w.putScalar(i, w0 - EPS);
                    double down = batch.forward(m).mul(probe).sumNumber().doubleValue();
                    w.putScalar(i, w0);
                    double numeric = (up - down) / (2 * EPS);
                    double analytic = grads.get(name).getDouble(i);
                    largest = Math.max(largest, Math.abs(numeric));
                    assertThat(analytic).as("d loss / d %s[%d]", name, i)
                            .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(numeric))));
                }
                assertThat(largest).as("some gradient reaches %s", name).isGreaterThan(1e-6);
            }
        }
    }
}
