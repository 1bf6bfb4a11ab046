package dev.t2v.inference.eval.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntervalTest {
    @Test
    void wilsonMatchesNewcombesPublishedIntervals() {
        // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (score,
        // no continuity correction), to the 4 decimals printed there.
        assertWilson(81, 263, 0.2553, 0.3662);
        assertWilson(15, 148, 0.0624, 0.1605);
        assertWilson(0, 20, 0.0, 0.1611);
        assertWilson(1, 29, 0.0061, 0.1718);
    }

    private static void assertWilson(int x, int n, double low, double high) {
        Interval ci = Interval.wilson(x, n);
        assertThat(ci.low()).as(x + "/" + n + " low").isCloseTo(low, within(5e-5));
        assertThat(ci.high()).as(x + "/" + n + " high").isCloseTo(high, within(5e-5));
    }

    @Test
    void wilsonStaysInsideZeroToOneAndIsSymmetric() {
        Interval all = Interval.wilson(20, 20);
        assertThat(all.high()).isEqualTo(1.0);
        assertThat(all.low()).isCloseTo(1 - 0.1611, within(5e-5));
        Interval half = Interval.wilson(36, 72);
        assertThat(half.low() + half.high()).isCloseTo(1.0, within(1e-12));
        assertThat(Interval.wilson(0, 0)).isEqualTo(Interval.NONE);
        assertThatThrownBy(() -> Interval.wilson(3, 2)).hasMessageContaining("successes");
    }

    @Test
    void studentTOfFiveValues() {
        // 1..5: mean 3, s = sqrt(2.5), t(0.975, 4) = 2.776445105 -> 3 ± 1.963243.
        Interval ci = Interval.studentT(new double[] {1, 2, 3, 4, 5});
        assertThat(ci.low()).isCloseTo(1.036757, within(1e-6));
        assertThat(ci.high()).isCloseTo(4.963243, within(1e-6));
    }

    @Test
    void studentTSkipsNanAndNeedsTwoValues() {
        Interval ci = Interval.studentT(new double[] {Double.NaN, 2, 4});
        // mean 3, s = sqrt(2), t(0.975, 1) = 12.70620474 -> 3 ± 12.7062.
        assertThat(ci.low()).isCloseTo(3 - 12.706205, within(1e-5));
        assertThat(ci.high()).isCloseTo(3 + 12.706205, within(1e-5));
        assertThat(Interval.studentT(new double[] {1.0})).isEqualTo(Interval.NONE);
        assertThat(Interval.studentT(new double[] {Double.NaN, Double.NaN})).isEqualTo(Interval.NONE);
        assertThat(Interval.studentT(new double[] {0.5, 0.5, 0.5})).isEqualTo(new Interval(0.5, 0.5));
    }
}
