package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.t2v.core.config.SchedulerConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

class TrainingTargetsTest {
    private static final long[] SHAPE = {3, 2, 4, 4};
    private final INDArray x0 = Noise.gaussian(SHAPE, DataType.DOUBLE, new SplittableRandom(1));
    private final INDArray noise = Noise.gaussian(SHAPE, DataType.DOUBLE, new SplittableRandom(2));
    private final int[] t = {0, 400, 999};

    private static TrainingTargets targets(PredictionType type) {
        return new TrainingTargets(SchedulerConfig.seed().withPredictionType(type));
    }

    @Test
    void epsilonTargetIsTheNoise() {
        assertThat(targets(PredictionType.EPSILON).target(x0, noise, t).equalsWithEps(noise, 0)).isTrue();
    }

    @Test
    void sampleTargetIsTheCleanSample() {
        assertThat(targets(PredictionType.SAMPLE).target(x0, noise, t).equalsWithEps(x0, 0)).isTrue();
    }

    @Test
    void velocityTargetLetsTheSchedulerRecoverCleanSampleAndNoise() {
        TrainingTargets tt = targets(PredictionType.V_PREDICTION);
        INDArray xt = tt.noisySample(x0, noise, t);
        INDArray v = tt.target(x0, noise, t);
        for (int b = 0; b < t.length; b++) {
            double a = tt.noiseSchedule().alphaCumprod(t[b]);
            double alpha = Math.sqrt(a);
            double sigma = Math.sqrt(1 - a);
            INDArray xb = xt.slice(b);
            INDArray vb = v.slice(b);
            // x0 = α·x_t − σ·v and ε = α·v + σ·x_t for a variance-preserving process
            assertThat(PredictionType.V_PREDICTION.originalSample(vb, xb, alpha, sigma).equalsWithEps(x0.slice(b), 1e-12)).isTrue();
            assertThat(PredictionType.V_PREDICTION.epsilon(vb, xb, alpha, sigma).equalsWithEps(noise.slice(b), 1e-12)).isTrue();
        }
    }

    @Test
    void targetsRejectTheWrongNumberOfTimesteps() {
        for (PredictionType type : PredictionType.values()) {
            assertThatThrownBy(() -> targets(type).target(x0, noise, new int[] {1, 2}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one timestep per sample");
        }
    }

    @Test
    void minSnrWeightsFollowTheirDefinitionPerPredictionType() {
        double gamma = 5.0;
        NoiseSchedule schedule = NoiseSchedule.of(SchedulerConfig.seed());
        double[] eps = targets(PredictionType.EPSILON).minSnrWeights(t, gamma);
        double[] v = targets(PredictionType.V_PREDICTION).minSnrWeights(t, gamma);
        double[] x = targets(PredictionType.SAMPLE).minSnrWeights(t, gamma);
        for (int i = 0; i < t.length; i++) {
            double snr = schedule.snr(t[i]);
            assertThat(x[i]).isCloseTo(Math.min(snr, gamma), within(1e-12));
            assertThat(eps[i]).isCloseTo(Math.min(snr, gamma) / snr, within(1e-12));
            assertThat(v[i]).isCloseTo(Math.min(snr, gamma) / (snr + 1), within(1e-12));
        }
        // low-noise steps (high SNR) are down-weighted for ε; very noisy ones keep weight 1
        assertThat(eps[0]).isLessThan(0.01);
        assertThat(eps[2]).isEqualTo(1.0);
    }

    @Test
    void minSnrWeightingOffGivesWeightOne() {
        TrainingTargets tt = targets(PredictionType.EPSILON);
        assertThat(tt.minSnrWeights(t, null)).containsOnly(1.0);
        assertThat(tt.minSnrWeights(t, 0.0)).containsOnly(1.0);
        assertThat(tt.minSnrWeights(t, -1.0)).containsOnly(1.0);
    }

    @Test
    void minSnrWeightsStayFiniteAtZeroTerminalSnr() {
        SchedulerConfig zero = SchedulerConfig.seed().withPredictionType(PredictionType.V_PREDICTION)
                .withRescaleZeroTerminalSnr(true);
        assertThat(new TrainingTargets(zero).minSnrWeights(new int[] {999}, 5.0)).containsExactly(0.0);
        assertThat(TrainingTargets.minSnrWeight(PredictionType.EPSILON, 0.0, 5.0)).isEqualTo(1.0);
    }

    @Test
    void sampledTimestepsAreInRangeAndReproducible() {
        TrainingTargets tt = targets(PredictionType.EPSILON);
        int[] a = tt.sampleTimesteps(512, new SplittableRandom(3));
        assertThat(java.util.Arrays.stream(a).allMatch(v -> v >= 0 && v < 1000)).isTrue();
        assertThat(tt.sampleTimesteps(512, new SplittableRandom(3))).containsExactly(a);
        assertThat(java.util.Arrays.stream(a).distinct().count()).isGreaterThan(300);
    }
}
