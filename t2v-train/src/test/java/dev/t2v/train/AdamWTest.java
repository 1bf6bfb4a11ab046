package dev.t2v.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamWTest {
    private static final double B1 = 0.9;
    private static final double B2 = 0.999;
    private static final double EPS = 1e-8;
    private static final double WD = 0.1;

    @Test
    void twoUpdatesMatchAHandComputationWithDecoupledDecayOnMatricesOnly() {
        double[] w0 = {0.5, -1.0, 2.0, 0.25};
        double[] b0 = {0.3, -0.2};
        double[][] gw = {{0.1, -0.2, 0.05, 1.0}, {-0.3, 0.1, 0.0, 0.5}};
        double[][] gb = {{1.0, -2.0}, {0.5, 0.5}};
        double[] lrs = {0.01, 0.02};

        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put("layer.weight", Nd4j.create(w0, new long[] {2, 2}, DataType.DOUBLE));
        params.put("layer.bias", Nd4j.create(b0, new long[] {2}, DataType.DOUBLE));
        AdamW adam = new AdamW(new AdamW.Hyper(B1, B2, EPS, WD), params);
        assertThat(adam.decayed()).containsExactly("layer.weight");

        double[] w = w0.clone();
        double[] b = b0.clone();
        double[] mw = new double[4];
        double[] vw = new double[4];
        double[] mb = new double[2];
        double[] vb = new double[2];
        for (int t = 1; t <= 2; t++) {
            Map<String, INDArray> grads = Map.of(
                    "layer.weight", Nd4j.create(gw[t - 1], new long[] {2, 2}, DataType.DOUBLE),
                    "layer.bias", Nd4j.create(gb[t - 1], new long[] {2}, DataType.DOUBLE));
            adam.step(params, grads, lrs[t - 1], t);
            reference(w, mw, vw, gw[t - 1], lrs[t - 1], t, WD);
            reference(b, mb, vb, gb[t - 1], lrs[t - 1], t, 0);
        }
        assertClose(params.get("layer.weight").reshape(4), w);
        assertClose(params.get("layer.bias"), b);
        assertClose(adam.state().get("m/layer.weight").reshape(4), mw);
        assertClose(adam.state().get("v/layer.bias"), vb);
    }

    /** PyTorch's AdamW, one tensor, in double. */
    private static void reference(double[] p, double[] m, double[] v, double[] g, double lr, int t, double wd) {
        for (int i = 0; i < p.length; i++) {
            p[i] *= 1 - lr * wd;
            m[i] = B1 * m[i] + (1 - B1) * g[i];
            v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
            double mHat = m[i] / (1 - Math.pow(B1, t));
            double vHat = v[i] / (1 - Math.pow(B2, t));
            p[i] -= lr * mHat / (Math.sqrt(vHat) + EPS);
        }
    }

    private static void assertClose(INDArray actual, double[] expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual.getDouble(i)).as("element %d", i).isCloseTo(expected[i], within(1e-12));
        }
    }

    @Test
    void decayExcludesBiasesNormsAndPositionEmbeddings() {
        assertThat(AdamW.decays("blocks.0.attn.qkv.weight", new long[] {96, 32})).isTrue();
        assertThat(AdamW.decays("x_embedder.proj.weight", new long[] {32, 4, 2, 2})).isTrue();
        assertThat(AdamW.decays("blocks.0.attn.qkv.bias", new long[] {96})).isFalse();
        assertThat(AdamW.decays("blocks.0.norm_cross.weight", new long[] {32})).isFalse();
        assertThat(AdamW.decays("pos_embed", new long[] {1, 16, 32})).isFalse();
    }

    @Test
    void savedMomentsLoadIntoAFreshOptimiserAndContinueIdentically() {
        Map<String, INDArray> p1 = Map.of("w", Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2}, 'c'));
        Map<String, INDArray> g = Map.of("w", Nd4j.create(new float[] {0.1f, -0.2f, 0.3f, 0.4f}, new long[] {2, 2}, 'c'));
        AdamW a = new AdamW(new AdamW.Hyper(B1, B2, EPS, WD), p1);
        a.step(p1, g, 0.01, 1);
        Map<String, INDArray> p2 = Map.of("w", p1.get("w").dup());
        AdamW b = new AdamW(new AdamW.Hyper(B1, B2, EPS, WD), p2);
        b.load(a.state());
        a.step(p1, g, 0.01, 2);
        b.step(p2, g, 0.01, 2);
        assertThat(p2.get("w")).isEqualTo(p1.get("w"));
    }

    @Test
    void loadingMomentsOfAnotherShapeThrowsNamingTheTensor() {
        AdamW a = new AdamW(new AdamW.Hyper(B1, B2, EPS, WD), Map.of("w", Nd4j.zeros(DataType.FLOAT, 2, 2)));
        assertThatThrownBy(() -> a.load(Map.of("m/w", Nd4j.zeros(DataType.FLOAT, 3), "v/w", Nd4j.zeros(DataType.FLOAT, 2, 2))))
                .hasMessageContaining("m/w");
    }

    @Test
    void aZeroLearningRateMovesTheMomentsButNotTheWeights() {
        Map<String, INDArray> p = Map.of("w", Nd4j.create(new double[] {1, -2, 3, 4}, new long[] {2, 2}, DataType.DOUBLE));
        Map<String, INDArray> g = Map.of("w", Nd4j.create(new double[] {0.5, 0.5, -1, 2}, new long[] {2, 2},
                DataType.DOUBLE));
        AdamW a = new AdamW(new AdamW.Hyper(B1, B2, EPS, WD), p);
        a.step(p, g, 0.0, 1);
        assertClose(p.get("w").reshape(4), new double[] {1, -2, 3, 4});
        assertClose(a.state().get("m/w").reshape(4), new double[] {0.05, 0.05, -0.1, 0.2});
    }

    @Test
    void fiftyFloatUpdatesTrackTheDoubleReferenceWithinOneInTenThousand() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 1000;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = rng.nextGaussian();
        }
        Map<String, INDArray> p = Map.of("w", Nd4j.create(w, new long[] {n / 10, 10}, DataType.DOUBLE)
                .castTo(DataType.FLOAT));
        AdamW a = new AdamW(new AdamW.Hyper(B1, B2, EPS, WD), p);
        double[] m = new double[n];
        double[] v = new double[n];
        for (int t = 1; t <= 50; t++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = rng.nextGaussian() * (i % 7 == 0 ? 1e-6 : 1); // tiny gradients exercise the epsilon term
            }
            a.step(p, Map.of("w", Nd4j.create(g, new long[] {n / 10, 10}, DataType.DOUBLE).castTo(DataType.FLOAT)),
                    1e-3, t);
            reference(w, m, v, g, 1e-3, t, WD);
        }
        INDArray actual = p.get("w").reshape(n);
        for (int i = 0; i < n; i++) {
            assertThat(actual.getDouble(i)).as("element %d", i).isCloseTo(w[i], within(1e-4 * Math.max(1, Math.abs(w[i]))));
        }
    }
}
