package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

class GuidanceTest {
    private final INDArray cond = Noise.gaussian(new long[] {3, 2, 4, 4}, DataType.DOUBLE, new SplittableRandom(1)).muli(1.5);
    private final INDArray uncond = Noise.gaussian(new long[] {3, 2, 4, 4}, DataType.DOUBLE, new SplittableRandom(2));

    @Test
    void scaleOneGivesTheConditionalAndZeroTheUnconditionalPrediction() {
        assertThat(Guidance.apply(cond, uncond, 1.0, 0).equalsWithEps(cond, 1e-12)).isTrue();
        assertThat(Guidance.apply(cond, uncond, 0.0, 0).equalsWithEps(uncond, 1e-12)).isTrue();
    }

    @Test
    void guidanceExtrapolatesAwayFromTheUnconditionalPrediction() {
        INDArray g = Guidance.apply(cond, uncond, 7.5, 0);
        INDArray expected = uncond.add(cond.sub(uncond).mul(7.5));
        assertThat(g.equalsWithEps(expected, 1e-12)).isTrue();
    }

    @Test
    void fullRescaleGivesEachSampleTheConditionalStandardDeviation() {
        INDArray g = Guidance.apply(cond, uncond, 9.0, 1.0);
        for (int b = 0; b < 3; b++) {
            double stdCond = cond.slice(b).stdNumber().doubleValue();
            assertThat(g.slice(b).stdNumber().doubleValue()).isCloseTo(stdCond, within(1e-9));
        }
    }

    @Test
    void partialRescaleBlendsRescaledAndPlainGuidance() {
        INDArray plain = Guidance.apply(cond, uncond, 5.0, 0);
        INDArray full = Guidance.apply(cond, uncond, 5.0, 1.0);
        INDArray blend = Guidance.apply(cond, uncond, 5.0, 0.7);
        assertThat(blend.equalsWithEps(full.mul(0.7).addi(plain.mul(0.3)), 1e-12)).isTrue();
    }

    @Test
    void inputsAreUnchangedAndFloatStaysFloat() {
        INDArray c = cond.castTo(DataType.FLOAT);
        INDArray u = uncond.castTo(DataType.FLOAT);
        INDArray cCopy = c.dup();
        INDArray uCopy = u.dup();
        INDArray g = Guidance.apply(c, u, 7.5, 0.7);
        assertThat(g.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(c.equalsWithEps(cCopy, 0)).isTrue();
        assertThat(u.equalsWithEps(uCopy, 0)).isTrue();
    }

    @Test
    void constantGuidedSampleIsLeftUnscaled() {
        INDArray same = Nd4j.ones(DataType.DOUBLE, 1, 4);
        assertThat(Guidance.apply(same, same, 3.0, 1.0).equalsWithEps(same, 0)).isTrue();
    }

    @Test
    void rejectsMismatchedShapesAndOutOfRangeRescale() {
        assertThatThrownBy(() -> Guidance.apply(cond, uncond.reshape(3, 2, 16), 7.5, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shapes differ");
        assertThatThrownBy(() -> Guidance.apply(cond, uncond, 7.5, 1.2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rescale");
        assertThatThrownBy(() -> Guidance.apply(cond, uncond, Double.NaN, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale");
    }
}
