package dev.t2v.data.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticSpecTest {
    @Test
    void defaultsMatchTheCli() {
        SyntheticSpec s = SyntheticSpec.defaults(200);
        assertThat(s.size()).isEqualTo(128);
        assertThat(s.frames()).isEqualTo(16);
        assertThat(s.fps()).isEqualTo(8);
        assertThat(s.seed()).isZero();
        assertThat(s.captionsPerVideo()).isEqualTo(20);
        assertThat(s.heldOut()).isEqualTo(Combo.DEFAULT_HELD_OUT);
    }

    @Test
    void outOfRangeValuesNameTheField() {
        assertThatThrownBy(() -> SyntheticSpec.of(0, 128, 16, 8, 0)).hasMessageStartingWith("videos must be in [1, ");
        assertThatThrownBy(() -> SyntheticSpec.of(10, 100, 16, 8, 0))
                .hasMessage("size must be a multiple of 16 in [32, 512], got 100");
        assertThatThrownBy(() -> SyntheticSpec.of(10, 16, 16, 8, 0)).hasMessageStartingWith("size must be");
        assertThatThrownBy(() -> SyntheticSpec.of(10, 128, 1, 8, 0)).hasMessage("frames must be in [2, 64], got 1");
        assertThatThrownBy(() -> SyntheticSpec.of(10, 128, 16, 0.5, 0)).hasMessage("fps must be in [1, 60], got 0.5");
        assertThatThrownBy(() -> SyntheticSpec.defaults(10).withCaptionsPerVideo(0)).hasMessageStartingWith("captionsPerVideo");
        assertThatThrownBy(() -> new SyntheticSpec(10, 128, 16, 8, 0, 20, 0.5, 0.5, Set.of(), ClipStyle.DEFAULT))
                .hasMessageContaining("sum below 1");
    }

    @Test
    void heldOutThatRemovesADirectionFromTrainingIsRejected() {
        Set<Combo> allUp = new HashSet<>();
        Combo.all().stream().filter(c -> c.direction() == Direction.UP).forEach(allUp::add);
        assertThatThrownBy(() -> new SyntheticSpec(10, 128, 16, 8, 0, 20, 0.1, 0.1, allUp, ClipStyle.DEFAULT))
                .hasMessage("held-out combinations leave no training clip for direction(s) [UP]");
    }

    @Test
    void styleRangesAreChecked() {
        assertThatThrownBy(() -> new ClipStyle(0.3, 0.2, 0.02, 0.03, 0.04, 16, 40, 0.1, 4)).hasMessageContaining("minShape");
        assertThatThrownBy(() -> new ClipStyle(0.1, 0.2, 0.02, 0.03, 0.04, 16, 200, 0.1, 4)).hasMessageContaining("dark background");
        assertThatThrownBy(() -> new ClipStyle(0.1, 0.2, 0.02, 0.03, 0.04, 16, 40, 0.1, 0)).hasMessageContaining("supersample");
    }
}
