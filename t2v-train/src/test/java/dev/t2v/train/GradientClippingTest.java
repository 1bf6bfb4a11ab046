package dev.t2v.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientClippingTest {
    private static List<INDArray> grads() {
        // Global norm sqrt(9 + 16 + 144) = 13.
        return List.of(Nd4j.create(new double[] {3, 4}, new long[] {2}, DataType.DOUBLE),
                Nd4j.create(new double[] {0, 12}, new long[] {1, 2}, DataType.DOUBLE));
    }

    @Test
    void globalNormIsTheNormOfAllGradientsTogether() {
        assertThat(GradientClipping.globalNorm(grads())).isCloseTo(13.0, within(1e-12));
    }

    @Test
    void clippingBringsTheNormWithinTheLimitAndKeepsTheDirection() {
        List<INDArray> g = grads();
        List<INDArray> before = g.stream().map(INDArray::dup).toList();
        double norm = GradientClipping.clip(g, 1.0);
        assertThat(norm).isCloseTo(13.0, within(1e-12));
        assertThat(GradientClipping.globalNorm(g)).isLessThanOrEqualTo(1.0).isCloseTo(1.0, within(1e-6));
        // Same direction: every component scaled by the same positive factor.
        double factor = g.get(0).getDouble(0) / before.get(0).getDouble(0);
        assertThat(factor).isPositive().isCloseTo(1.0 / 13, within(1e-6));
        for (int k = 0; k < g.size(); k++) {
            for (int i = 0; i < g.get(k).length(); i++) {
                assertThat(g.get(k).getDouble(i)).isCloseTo(before.get(k).getDouble(i) * factor, within(1e-15));
            }
        }
    }

    @Test
    void gradientsWithinTheLimitOrWithClippingOffAreUntouched() {
        List<INDArray> g = grads();
        GradientClipping.clip(g, 20.0);
        assertThat(g.get(1).getDouble(1)).isEqualTo(12.0);
        GradientClipping.clip(g, 0.0);
        assertThat(g.get(1).getDouble(1)).isEqualTo(12.0);
    }

    @Test
    void aNonFiniteGradientGivesANonFiniteNormAndIsLeftForTheCallerToSkip() {
        List<INDArray> g = grads();
        g.get(0).putScalar(0, Double.NaN);
        assertThat(GradientClipping.clip(g, 1.0)).isNaN();
        assertThat(g.get(1).getDouble(1)).isEqualTo(12.0);
    }
}
