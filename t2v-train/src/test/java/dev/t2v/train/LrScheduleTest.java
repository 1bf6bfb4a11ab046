package dev.t2v.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
    @Test
    void warmupRisesLinearlyToTheBaseRate() {
        assertThat(LrSchedule.CONSTANT.at(0, 1e-3, 4, 100)).isCloseTo(0.25e-3, within(1e-18));
        assertThat(LrSchedule.CONSTANT.at(3, 1e-3, 4, 100)).isCloseTo(1e-3, within(1e-18));
        assertThat(LrSchedule.COSINE.at(1, 1e-3, 4, 100)).isCloseTo(0.5e-3, within(1e-18));
    }

    @Test
    void constantStaysAtTheBaseRate() {
        assertThat(LrSchedule.CONSTANT.at(0, 2e-4, 0, 10)).isEqualTo(2e-4);
        assertThat(LrSchedule.CONSTANT.at(1_000_000, 2e-4, 0, 10)).isEqualTo(2e-4);
    }

    @Test
    void cosineFallsFromTheBaseRateToZeroAtTheLastStep() {
        assertThat(LrSchedule.COSINE.at(10, 1e-3, 10, 110)).isCloseTo(1e-3, within(1e-18));
        assertThat(LrSchedule.COSINE.at(60, 1e-3, 10, 110)).isCloseTo(0.5e-3, within(1e-15));
        assertThat(LrSchedule.COSINE.at(110, 1e-3, 10, 110)).isCloseTo(0, within(1e-18));
    }

    @Test
    void parsesLabelsAndRejectsOthers() {
        assertThat(LrSchedule.parse("Cosine")).isEqualTo(LrSchedule.COSINE);
        assertThatThrownBy(() -> LrSchedule.parse("linear")).hasMessageContaining("constant or cosine");
    }
}
