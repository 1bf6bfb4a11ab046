package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.t2v.core.config.SchedulerConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NoiseScheduleTest {
    private final NoiseSchedule seed = NoiseSchedule.of(SchedulerConfig.seed());

    @Test
    void scaledLinearBetasRunFromBetaStartToBetaEnd() {
        double[] betas = seed.betas();
        assertThat(betas).hasSize(1000);
        assertThat(betas[0]).isCloseTo(0.00085, within(1e-15));
        assertThat(betas[999]).isCloseTo(0.012, within(1e-15));
        // linear in sqrt(beta): the midpoint of sqrt is the mean of the ends' sqrt
        double mid = (Math.sqrt(0.00085) + Math.sqrt(0.012)) / 2;
        assertThat(Math.sqrt(betas[0]) + Math.sqrt(betas[999])).isCloseTo(2 * mid, within(1e-15));
    }

    @Test
    void alphasCumprodDecreaseStrictly() {
        for (BetaSchedule b : BetaSchedule.values()) {
            double[] ac = NoiseSchedule.of(SchedulerConfig.defaults().withBetaSchedule(b, 1e-4, 0.02)).alphasCumprod();
            for (int i = 1; i < ac.length; i++) {
                assertThat(ac[i]).as("%s at %d", b, i).isLessThan(ac[i - 1]);
            }
        }
    }

    @Test
    void cosineBetasAreCappedBelowOne() {
        double[] betas = BetaSchedule.SQUAREDCOS_CAP_V2.betas(1000, 0, 0);
        assertThat(betas[999]).isEqualTo(0.999);
        assertThat(java.util.Arrays.stream(betas).allMatch(b -> b > 0 && b <= 0.999)).isTrue();
    }

    @Test
    void zeroTerminalSnrRescaleZeroesTheLastSnrAndKeepsTheFirst() {
        for (BetaSchedule b : BetaSchedule.values()) {
            SchedulerConfig cfg = SchedulerConfig.seed().withBetaSchedule(b, 0.00085, 0.012)
                    .withPredictionType(PredictionType.V_PREDICTION);
            NoiseSchedule plain = NoiseSchedule.of(cfg);
            NoiseSchedule rescaled = NoiseSchedule.of(cfg.withRescaleZeroTerminalSnr(true));
            assertThat(rescaled.snr(999)).as(b.id()).isZero();
            assertThat(rescaled.betas()[999]).isEqualTo(1.0);
            assertThat(rescaled.alphaCumprod(0)).isCloseTo(plain.alphaCumprod(0), within(1e-15));
        }
    }

    @Test
    void addNoiseUsesEachSamplesOwnTimestep() {
        INDArray x0 = Nd4j.ones(DataType.DOUBLE, 3, 2, 2);
        INDArray noise = Nd4j.zeros(DataType.DOUBLE, 3, 2, 2);
        INDArray xt = seed.addNoise(x0, noise, new int[] {0, 500, 999});
        for (int b = 0; b < 3; b++) {
            double expected = Math.sqrt(seed.alphaCumprod(new int[] {0, 500, 999}[b]));
            assertThat(xt.slice(b).minNumber().doubleValue()).isCloseTo(expected, within(1e-15));
            assertThat(xt.slice(b).maxNumber().doubleValue()).isCloseTo(expected, within(1e-15));
        }
        assertThat(x0.minNumber().doubleValue()).as("x0 unchanged").isEqualTo(1.0);
    }

    @Test
    void velocityOfPureSignalAndPureNoise() {
        INDArray ones = Nd4j.ones(DataType.FLOAT, 1, 4);
        INDArray zeros = Nd4j.zeros(DataType.FLOAT, 1, 4);
        double a = seed.alphaCumprod(300);
        assertThat(seed.velocity(ones, zeros, new int[] {300}).getDouble(0, 0)).isCloseTo(-Math.sqrt(1 - a), within(1e-6));
        assertThat(seed.velocity(zeros, ones, new int[] {300}).getDouble(0, 0)).isCloseTo(Math.sqrt(a), within(1e-6));
        assertThat(seed.velocity(ones, zeros, new int[] {300}).dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void forwardProcessRejectsBadTimestepsAndShapes() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 3);
        assertThatThrownBy(() -> seed.addNoise(x, x, new int[] {0, 1000}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1000)");
        assertThatThrownBy(() -> seed.addNoise(x, x, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one timestep per sample");
        assertThatThrownBy(() -> seed.addNoise(x, Nd4j.zeros(DataType.FLOAT, 2, 4), new int[] {0, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shapes differ");
    }

    @Test
    void snrShiftDividesEverySnrByTheShiftSquared() {
        NoiseSchedule shifted = NoiseSchedule.of(SchedulerConfig.seed().withSnrShift(4));
        for (int t : new int[] {0, 1, 250, 500, 999}) {
            assertThat(shifted.snr(t)).as("t=%d", t).isCloseTo(seed.snr(t) / 16, within(1e-9 * seed.snr(t)));
        }
        assertThat(NoiseSchedule.of(SchedulerConfig.seed().withSnrShift(1)).alphasCumprod())
                .containsExactly(seed.alphasCumprod());
    }

    @Test
    void snrShiftComesBeforeTheZeroTerminalRescaleSoTheLastStepStaysPureNoise() {
        SchedulerConfig cfg = SchedulerConfig.seed().withPredictionType(PredictionType.V_PREDICTION)
                .withRescaleZeroTerminalSnr(true);
        NoiseSchedule plain = NoiseSchedule.of(cfg);
        NoiseSchedule shifted = NoiseSchedule.of(cfg.withSnrShift(3));
        assertThat(shifted.alphaCumprod(999)).isZero();
        assertThat(shifted.alphaCumprod(0)).isLessThan(plain.alphaCumprod(0));
        for (int t = 100; t < 999; t += 100) {
            assertThat(shifted.snr(t)).as("t=%d", t).isLessThan(plain.snr(t));
        }
        assertThatThrownBy(() -> NoiseSchedule.shiftSnr(new double[] {0.1}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }
}
