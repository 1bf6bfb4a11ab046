package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.config.SchedulerConfig;
import org.junit.jupiter.api.Test;

class SchedulersTest {
    @Test
    void namesAreTheThreeSamplersAndEachBuildsItsScheduler() {
        assertThat(Schedulers.names()).containsExactly("ddpm", "ddim", "dpmpp");
        assertThat(Schedulers.create("ddpm", SchedulerConfig.seed(), 0, 1)).isInstanceOf(DdpmScheduler.class);
        assertThat(Schedulers.create("DDIM", SchedulerConfig.seed(), 0.5, 1)).isInstanceOf(DdimScheduler.class)
                .extracting(s -> ((DdimScheduler) s).eta()).isEqualTo(0.5);
        assertThat(Schedulers.create("dpmpp", SchedulerConfig.seed(), 0, 1)).isInstanceOf(DpmSolverMultistepScheduler.class);
    }

    @Test
    void unknownSamplerNamesTheKnownOnes() {
        assertThatThrownBy(() -> Schedulers.create("euler", SchedulerConfig.seed(), 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("euler")
                .hasMessageContaining("ddpm, ddim, dpmpp");
    }

    @Test
    void etaOutsideZeroToOneIsRejected() {
        assertThatThrownBy(() -> Schedulers.create("ddim", SchedulerConfig.seed(), 1.5, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eta");
        assertThatThrownBy(() -> Schedulers.create("ddim", SchedulerConfig.seed(), Double.NaN, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eta");
    }
}
