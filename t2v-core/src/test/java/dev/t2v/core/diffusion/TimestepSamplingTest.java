package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

class TimestepSamplingTest {
    @Test
    void uniformDrawsWhatNextIntDraws() {
        SplittableRandom a = new SplittableRandom(7);
        SplittableRandom b = new SplittableRandom(7);
        for (int i = 0; i < 100; i++) {
            assertThat(TimestepSampling.UNIFORM.sample(1000, a)).isEqualTo(b.nextInt(1000));
        }
    }

    @Test
    void logitNormalDrawsFollowItsProbabilities() {
        TimestepSampling s = TimestepSampling.logitNormal(0.5, 1);
        int n = 20;
        double[] p = s.probabilities(n);
        assertThat(DoubleStream.of(p).sum()).isCloseTo(1, within(1e-12));
        int[] counts = new int[n];
        SplittableRandom rng = new SplittableRandom(1);
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts[s.sample(n, rng)]++;
        }
        for (int t = 0; t < n; t++) {
            double sd = Math.sqrt(p[t] * (1 - p[t]) / draws);
            assertThat((double) counts[t] / draws).as("t=%d", t).isCloseTo(p[t], within(5 * sd + 1e-6));
        }
    }

    @Test
    void aUniformShareMixesUniformDrawsIntoTheLogitNormal() {
        TimestepSampling ln = TimestepSampling.logitNormal(1, 1);
        TimestepSampling mixed = ln.withUniformShare(0.3);
        int n = 20;
        double[] p = mixed.probabilities(n);
        double[] q = ln.probabilities(n);
        assertThat(DoubleStream.of(p).sum()).isCloseTo(1, within(1e-12));
        for (int t = 0; t < n; t++) {
            assertThat(p[t]).isCloseTo(0.3 / n + 0.7 * q[t], within(1e-12));
        }
        // The low-noise end gets what the pure logit-normal starves: about 3 % of draws below t = 300 of 1000 become 24 %.
        double low = DoubleStream.of(ln.probabilities(1000)).limit(300).sum();
        double lowMixed = DoubleStream.of(mixed.probabilities(1000)).limit(300).sum();
        assertThat(low).isBetween(0.02, 0.04);
        assertThat(lowMixed).isCloseTo(0.3 * 0.3 + 0.7 * low, within(1e-9));
        int[] counts = new int[n];
        SplittableRandom rng = new SplittableRandom(2);
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts[mixed.sample(n, rng)]++;
        }
        for (int t = 0; t < n; t++) {
            double sd = Math.sqrt(p[t] * (1 - p[t]) / draws);
            assertThat((double) counts[t] / draws).as("t=%d", t).isCloseTo(p[t], within(5 * sd + 1e-6));
        }
        assertThat(mixed.label()).isEqualTo("logit-normal:1,1+uniform:0.3");
        assertThat(TimestepSampling.parse(mixed.label())).isEqualTo(mixed);
        assertThatThrownBy(() -> ln.withUniformShare(1)).hasMessageContaining("uniform share");
        assertThatThrownBy(() -> TimestepSampling.UNIFORM.withUniformShare(0.5)).hasMessageContaining("uniform share");
    }

    @Test
    void aPositiveLocationSpendsMoreDrawsAtTheNoisyEnd() {
        double[] centred = TimestepSampling.logitNormal(0, 1).probabilities(1000);
        double[] noisy = TimestepSampling.logitNormal(1, 1).probabilities(1000);
        assertThat(DoubleStream.of(noisy).skip(800).sum()).isGreaterThan(DoubleStream.of(centred).skip(800).sum());
        assertThat(DoubleStream.of(centred).skip(500).sum()).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void labelsParseBackAndBadTextNamesTheExpectedForm() {
        assertThat(TimestepSampling.parse("uniform")).isEqualTo(TimestepSampling.UNIFORM);
        TimestepSampling s = TimestepSampling.parse(" logit-normal:0.5, 1 ");
        assertThat(s).isEqualTo(TimestepSampling.logitNormal(0.5, 1));
        assertThat(TimestepSampling.parse(s.label())).isEqualTo(s);
        assertThat(s.label()).isEqualTo("logit-normal:0.5,1");
        assertThatThrownBy(() -> TimestepSampling.parse("logit-normal:0.5")).hasMessageContaining("logit-normal:LOC,SCALE");
        assertThatThrownBy(() -> TimestepSampling.parse("normal")).hasMessageContaining("'normal'");
        assertThatThrownBy(() -> TimestepSampling.logitNormal(0, 0)).hasMessageContaining("scale");
    }
}
