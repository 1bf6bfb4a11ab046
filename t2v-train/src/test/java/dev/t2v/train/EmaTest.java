package dev.t2v.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EmaTest {
    @Test
    void decayWarmsUpAsOnePlusUOverTenPlusUThenCaps() {
        assertThat(Ema.decay(0.999, 0)).isEqualTo(0.1);
        assertThat(Ema.decay(0.999, 1)).isCloseTo(2.0 / 11, within(1e-15));
        assertThat(Ema.decay(0.999, 90)).isCloseTo(91.0 / 100, within(1e-15));
        assertThat(Ema.decay(0.999, 1_000_000)).isEqualTo(0.999);
        assertThat(Ema.decay(0.0, 5)).isZero();
    }

    @Test
    void averageMatchesAHandComputationOverThreeUpdates() {
        INDArray w = Nd4j.create(new double[] {1.0, -2.0}, new long[] {2}, DataType.DOUBLE);
        Ema ema = new Ema(0.5, Map.of("w", w));
        double[][] weights = {{2.0, 0.0}, {4.0, -4.0}, {0.0, 8.0}};
        double[] s = {1.0, -2.0};
        for (int u = 0; u < 3; u++) {
            w.assign(Nd4j.create(weights[u], new long[] {2}, DataType.DOUBLE));
            ema.update(Map.of("w", w), u);
            double d = Math.min(0.5, (1.0 + u) / (10.0 + u)); // 0.1, 0.1818…, 0.25
            for (int i = 0; i < 2; i++) {
                s[i] = d * s[i] + (1 - d) * weights[u][i];
            }
        }
        // By hand: s0 = 0.1*1 + 0.9*2 = 1.9; s1 = (2/11)*1.9 + (9/11)*4; s2 = 0.25*s1 + 0.75*0.
        double s1 = 2.0 / 11 * 1.9 + 9.0 / 11 * 4;
        assertThat(s[0]).isCloseTo(0.25 * s1, within(1e-12));
        assertThat(ema.weights().get("w").getDouble(0)).isCloseTo(s[0], within(1e-12));
        assertThat(ema.weights().get("w").getDouble(1)).isCloseTo(s[1], within(1e-12));
    }

    @Test
    void theAverageIsACopyNotTheLiveWeights() {
        INDArray w = Nd4j.create(new float[] {1, 2}, new long[] {2}, 'c');
        Ema ema = new Ema(0.9, Map.of("w", w));
        w.assign(5);
        assertThat(ema.weights().get("w").getFloat(0)).isEqualTo(1f);
    }
}
