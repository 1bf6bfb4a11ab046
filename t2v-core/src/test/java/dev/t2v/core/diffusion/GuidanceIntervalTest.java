package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GuidanceIntervalTest {
    @Test
    void bothEndsAreGuided() {
        GuidanceInterval g = GuidanceInterval.parse("0,700");
        assertThat(g.contains(0)).isTrue();
        assertThat(g.contains(700)).isTrue();
        assertThat(g.contains(701)).isFalse();
        assertThat(GuidanceInterval.ALWAYS.contains(999)).isTrue();
    }

    @Test
    void labelsParseBackAndBadTextIsRefused() {
        assertThat(GuidanceInterval.parse("all")).isEqualTo(GuidanceInterval.ALWAYS);
        assertThat(GuidanceInterval.parse(" 100 , 800 ").label()).isEqualTo("100,800");
        assertThat(GuidanceInterval.ALWAYS.label()).isEqualTo("all");
        assertThatThrownBy(() -> GuidanceInterval.parse("800,100")).hasMessageContaining("lo <= hi");
        assertThatThrownBy(() -> GuidanceInterval.parse("700")).hasMessageContaining("LO,HI");
        assertThatThrownBy(() -> GuidanceInterval.parse("-1,5")).hasMessageContaining("0 <= lo");
    }
}
