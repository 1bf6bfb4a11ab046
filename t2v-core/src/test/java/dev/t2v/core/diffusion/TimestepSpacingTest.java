package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimestepSpacingTest {
    @Test
    void spacingsMatchDiffusersForTenOfAThousandSteps() {
        assertThat(TimestepSpacing.LEADING.timesteps(1000, 10, 1)).containsExactly(901, 801, 701, 601, 501, 401, 301, 201, 101, 1);
        assertThat(TimestepSpacing.TRAILING.timesteps(1000, 10, 0)).containsExactly(999, 899, 799, 699, 599, 499, 399, 299, 199, 99);
        assertThat(TimestepSpacing.LINSPACE.timesteps(1000, 10, 0)).containsExactly(999, 888, 777, 666, 555, 444, 333, 222, 111, 0);
        assertThat(TimestepSpacing.LINSPACE.solverTimesteps(1000, 10, 0)).containsExactly(999, 899, 799, 699, 599, 500, 400, 300, 200, 100);
        assertThat(TimestepSpacing.LEADING.solverTimesteps(1000, 10, 1)).containsExactly(901, 811, 721, 631, 541, 451, 361, 271, 181, 91);
    }

    @Test
    void linspaceRoundsHalvesToEvenAsNumpy() {
        // linspace(0, 999, 3) = [0, 499.5, 999]; numpy rounds 499.5 to 500
        assertThat(TimestepSpacing.LINSPACE.timesteps(1000, 3, 0)).containsExactly(999, 500, 0);
        // linspace(0, 99, 3) = [0, 49.5, 99] -> 50 ... and linspace(0, 5, 3) = [0, 2.5, 5] -> 2 (even)
        assertThat(TimestepSpacing.LINSPACE.timesteps(6, 3, 0)).containsExactly(5, 2, 0);
    }

    @Test
    void trailingKeepsExactlyNStepsWhereNumpyArangeOvershoots() {
        // diffusers' np.arange(1000, 0, -1000/61) has 62 elements, the last rounding to timestep -1
        int[] ts = TimestepSpacing.TRAILING.timesteps(1000, 61, 0);
        assertThat(ts).hasSize(61);
        assertThat(ts[0]).isEqualTo(999);
        assertThat(ts[60]).isEqualTo(15);
    }

    @Test
    void leadingWithOffsetPastTheLastTrainingStepThrows() {
        assertThatThrownBy(() -> TimestepSpacing.LEADING.timesteps(1000, 1000, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timestep 1000").hasMessageContaining("steps_offset 1");
        assertThat(TimestepSpacing.LEADING.timesteps(1000, 1000, 0)).hasSize(1000);
    }

    @Test
    void solverLeadingSpacingThatWouldRepeatTimestepsThrows() {
        // 1000 // (1000 + 1) = 0: every timestep would be the offset
        assertThatThrownBy(() -> TimestepSpacing.LEADING.solverTimesteps(1000, 1000, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeats");
    }

    @Test
    void stepCountsOutsideOneToTrainingStepsThrow() {
        for (TimestepSpacing s : TimestepSpacing.values()) {
            assertThatThrownBy(() -> s.timesteps(1000, 1001, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[1, 1000]");
            assertThatThrownBy(() -> s.solverTimesteps(1000, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void namesParseCaseInsensitivelyAndUnknownNamesListTheChoices() {
        assertThat(TimestepSpacing.fromId("Trailing")).isEqualTo(TimestepSpacing.TRAILING);
        assertThatThrownBy(() -> TimestepSpacing.fromId("karras"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linspace, leading, trailing");
    }
}
