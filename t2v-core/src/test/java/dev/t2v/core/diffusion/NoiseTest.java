package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

class NoiseTest {
    private static final long[] SHAPE = {2, 4, 4, 16, 16};

    @Test
    void gaussianIsFloatOfTheRequestedShape() {
        INDArray z = Noise.gaussian(SHAPE, new SplittableRandom(1));
        assertThat(z.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(z.shape()).isEqualTo(SHAPE);
        assertThat(z.ordering()).isEqualTo('c');
    }

    @Test
    void sameSeedGivesTheSameBitsAndAnotherSeedDoesNot() {
        float[] a = Noise.gaussian(SHAPE, new SplittableRandom(7)).data().asFloat();
        assertThat(Noise.gaussian(SHAPE, new SplittableRandom(7)).data().asFloat()).containsExactly(a);
        assertThat(Noise.gaussian(SHAPE, new SplittableRandom(8)).data().asFloat()).isNotEqualTo(a);
    }

    @Test
    void valuesAreStandardNormal() {
        INDArray z = Noise.gaussian(SHAPE, DataType.DOUBLE, new SplittableRandom(3));
        assertThat(z.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(z.meanNumber().doubleValue()).isCloseTo(0, within(0.03));
        assertThat(z.stdNumber().doubleValue()).isCloseTo(1, within(0.03));
    }

    @Test
    void floatAndDoubleDrawsAgreeToFloatPrecision() {
        INDArray f = Noise.gaussian(SHAPE, DataType.FLOAT, new SplittableRandom(4));
        INDArray d = Noise.gaussian(SHAPE, DataType.DOUBLE, new SplittableRandom(4));
        assertThat(f.castTo(DataType.DOUBLE).equalsWithEps(d, 1e-6)).isTrue();
    }

    @Test
    void seededNoiseSourceRepeatsItsSequenceAndSplitsPerDraw() {
        NoiseSource a = NoiseSource.seeded(5);
        NoiseSource b = NoiseSource.seeded(5);
        INDArray a1 = a.next(new long[] {4}, DataType.FLOAT);
        INDArray a2 = a.next(new long[] {4}, DataType.FLOAT);
        assertThat(b.next(new long[] {4}, DataType.FLOAT).data().asFloat()).containsExactly(a1.data().asFloat());
        assertThat(b.next(new long[] {4}, DataType.FLOAT).data().asFloat()).containsExactly(a2.data().asFloat());
        assertThat(a2.data().asFloat()).isNotEqualTo(a1.data().asFloat());
    }

    @Test
    void rejectsNegativeDimensionsAndIntegerDtypes() {
        assertThatThrownBy(() -> Noise.gaussian(new long[] {2, -1}, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> Noise.gaussian(new long[] {2}, DataType.INT, new SplittableRandom(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("floating");
    }
}
