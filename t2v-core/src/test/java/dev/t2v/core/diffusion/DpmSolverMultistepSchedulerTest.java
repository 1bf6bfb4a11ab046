package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.config.SchedulerConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

class DpmSolverMultistepSchedulerTest {
    private static final long[] SHAPE = {1, 2, 3};

    private static INDArray x() {
        return Noise.gaussian(SHAPE, DataType.DOUBLE, new SplittableRandom(1));
    }

    @Test
    void skippingATimestepThrowsBecauseTheHistoryWouldBeWrong() {
        DpmSolverMultistepScheduler s = new DpmSolverMultistepScheduler(SchedulerConfig.seed());
        s.setTimesteps(10);
        int[] ts = s.timesteps();
        INDArray x = x();
        s.step(x.mul(0.1), ts[0], x);
        assertThatThrownBy(() -> s.step(x.mul(0.1), ts[2], x))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected timestep " + ts[1]);
    }

    @Test
    void steppingPastTheLastTimestepThrowsUntilSetTimestepsIsCalledAgain() {
        DpmSolverMultistepScheduler s = new DpmSolverMultistepScheduler(SchedulerConfig.seed());
        s.setTimesteps(2);
        INDArray x = x();
        for (int t : s.timesteps()) {
            x = s.step(x.mul(0.1), t, x).prevSample();
        }
        INDArray last = x;
        assertThatThrownBy(() -> s.step(last, 1, last)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("setTimesteps");
        s.setTimesteps(2);
        assertThat(s.step(x.mul(0.1), s.timesteps()[0], x).prevSample().shape()).isEqualTo(SHAPE);
    }

    @Test
    void unknownFirstTimestepThrows() {
        DpmSolverMultistepScheduler s = new DpmSolverMultistepScheduler(SchedulerConfig.seed());
        s.setTimesteps(10);
        INDArray x = x();
        assertThatThrownBy(() -> s.step(x, 500, x)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not one of");
    }

    @Test
    void lastStepReturnsThePredictedCleanSample() {
        DpmSolverMultistepScheduler s = new DpmSolverMultistepScheduler(SchedulerConfig.seed());
        s.setTimesteps(5);
        INDArray x = x();
        StepOutput out = null;
        for (int t : s.timesteps()) {
            out = s.step(x.mul(0.3), t, x);
            x = out.prevSample();
        }
        assertThat(out.prevSample().equalsWithEps(out.predOriginalSample(), 1e-12)).isTrue();
    }

    @Test
    void historyDoesNotAliasTheCallersModelOutput() {
        SchedulerConfig cfg = SchedulerConfig.seed().withPredictionType(PredictionType.SAMPLE);
        DpmSolverMultistepScheduler a = new DpmSolverMultistepScheduler(cfg);
        DpmSolverMultistepScheduler b = new DpmSolverMultistepScheduler(cfg);
        a.setTimesteps(4);
        b.setTimesteps(4);
        int[] ts = a.timesteps();
        INDArray x = x();
        INDArray reused = x.mul(0.5);
        INDArray xa = a.step(reused, ts[0], x).prevSample();
        INDArray xb = b.step(reused.dup(), ts[0], x).prevSample();
        reused.muli(100); // a caller reusing its output buffer must not change a's history
        INDArray next = x.mul(0.2);
        assertThat(a.step(next, ts[1], xa).prevSample().equalsWithEps(b.step(next, ts[1], xb).prevSample(), 0)).isTrue();
    }

    @Test
    void zeroTerminalSnrStartsFromAFiniteSigma() {
        SchedulerConfig cfg = SchedulerConfig.seed().withPredictionType(PredictionType.V_PREDICTION)
                .withRescaleZeroTerminalSnr(true).withTimestepSpacing(TimestepSpacing.TRAILING, 0);
        DpmSolverMultistepScheduler s = new DpmSolverMultistepScheduler(cfg);
        assertThat(s.noiseSchedule().alphaCumprod(999)).isEqualTo(0x1p-24);
        s.setTimesteps(10);
        INDArray x = x();
        for (int t : s.timesteps()) {
            x = s.step(x.mul(0.1), t, x).prevSample();
        }
        assertThat(x.isNaN().any() || x.isInfinite().any()).isFalse();
    }
}
