package dev.t2v.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.NoiseSchedule;
import dev.t2v.core.diffusion.PredictionType;
import dev.t2v.core.diffusion.TimestepSampling;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DetectabilityTest {
    /** F=4 frames of C=2 channels, 8×8: background 0.3, a 2×2 object of +3 moving right one pixel per frame. */
    private static INDArray movingSquare() {
        INDArray x = Nd4j.valueArrayOf(new long[] {4, 2, 8, 8}, 0.3, DataType.FLOAT);
        for (int f = 0; f < 4; f++) {
            for (int c = 0; c < 2; c++) {
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        x.putScalar(new long[] {f, c, 3 + dy, 1 + f + dx}, 3.3);
                    }
                }
            }
        }
        return x;
    }

    @Test
    void theObjectIsWhatDiffersFromTheBackground() {
        Detectability.ClipEnergy e = Detectability.measure(movingSquare());
        // 4 frames x 4 pixels x 2 channels of residual 3.0
        assertThat(e.objectNorm()).isCloseTo(Math.sqrt(32 * 9), within(1e-5));
        assertThat(e.objectArea()).isEqualTo(4.0);
        assertThat(e.objectRms()).isCloseTo(3.0, within(1e-5));
        assertThat(e.backgroundRms()).isCloseTo(0.3, within(1e-6));
    }

    @Test
    void theMatchedFilterSeesTheObjectAtTheAnalyticZScore() {
        INDArray clip = movingSquare();
        INDArray h = clip.sub(0.3); // the object's template: the residual from the background
        double norm = h.norm2Number().doubleValue();
        NoiseSchedule schedule = NoiseSchedule.of(SchedulerConfig.seed());
        SplittableRandom rng = new SplittableRandom(3);
        for (int t : new int[] {900, 999}) {
            double a = schedule.alphaCumprod(t);
            int trials = 4000;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < trials; i++) {
                double score = 0;
                for (int j = 0; j < clip.length(); j++) {
                    double xt = Math.sqrt(a) * h.getDouble(j) + Math.sqrt(1 - a) * rng.nextGaussian();
                    score += xt * h.getDouble(j) / norm;
                }
                sum += score;
                sumSq += score * score;
            }
            double mean = sum / trials;
            double sd = Math.sqrt(sumSq / trials - mean * mean);
            assertThat(mean / sd).as("t=%d", t).isCloseTo(Detectability.z(schedule, t, norm), within(0.1));
        }
    }

    @Test
    void aZeroTerminalShiftedScheduleHidesTheObjectAtTheEndAndTrainsItsDecisionMoreOften() {
        List<Detectability.ClipEnergy> clips = List.of(new Detectability.ClipEnergy(90, 100, 4, 0.5, 20));
        Detectability.Report sd = Detectability.analyse(clips, SchedulerConfig.seed(), TimestepSampling.UNIFORM);
        assertThat(sd.terminalZ()).isGreaterThan(Detectability.DECIDED);
        assertThat(sd.decisionLo()).isEqualTo(-1);
        assertThat(sd.advice()).anyMatch(a -> a.contains("zero-terminal-snr"));

        SchedulerConfig zero = SchedulerConfig.seed().withPredictionType(PredictionType.V_PREDICTION)
                .withRescaleZeroTerminalSnr(true);
        Detectability.Report z = Detectability.analyse(clips, zero, TimestepSampling.UNIFORM);
        Detectability.Report shifted = Detectability.analyse(clips, zero.withSnrShift(4), TimestepSampling.UNIFORM);
        Detectability.Report biased = Detectability.analyse(clips, zero.withSnrShift(4),
                TimestepSampling.logitNormal(0.5, 1));
        assertThat(z.terminalZ()).isZero();
        assertThat(z.decisionShare()).isBetween(0.01, 0.15);
        assertThat(shifted.decisionShare()).isGreaterThan(z.decisionShare());
        assertThat(shifted.decisionLo()).isLessThan(z.decisionLo());
        assertThat(biased.decisionShare()).isGreaterThan(shifted.decisionShare());
        assertThat(biased.format()).contains("decision range").contains("% of training draws");
    }
}
