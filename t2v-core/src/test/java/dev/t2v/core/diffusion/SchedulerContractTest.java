package dev.t2v.core.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.config.SchedulerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** The behaviour every scheduler promises, run over every scheduler × timestep spacing. */
class SchedulerContractTest {
    /** A video-latent-shaped batch [B,F,C,H,W], FLOAT as in production. */
    private static final long[] SHAPE = {2, 3, 4, 4, 4};
    private static final int STEPS = 10;

    record Case(String sampler, double eta, TimestepSpacing spacing) {
        SchedulerConfig config() {
            // seed(): SD's scaled_linear schedule; leading keeps its steps_offset 1
            return SchedulerConfig.seed().withTimestepSpacing(spacing, spacing == TimestepSpacing.LEADING ? 1 : 0);
        }

        Scheduler create(long seed) {
            return Schedulers.create(sampler, config(), eta, seed);
        }

        boolean stochastic() {
            return sampler.equals("ddpm") || eta > 0;
        }

        @Override
        public String toString() {
            return sampler + (sampler.equals("ddim") ? " eta=" + eta : "") + " " + spacing.id();
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (TimestepSpacing spacing : TimestepSpacing.values()) {
            out.add(Arguments.of(new Case("ddpm", 0, spacing)));
            out.add(Arguments.of(new Case("ddim", 0, spacing)));
            out.add(Arguments.of(new Case("ddim", 0.7, spacing)));
            out.add(Arguments.of(new Case("dpmpp", 0, spacing)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void timestepsAreStrictlyDecreasingAndWithinTrainingRange(Case c) {
        Scheduler s = c.create(1);
        int numTrain = s.config().numTrainTimesteps();
        // 61 and 103 are where diffusers' trailing np.arange overshoots to a timestep of -1
        for (int n : new int[] {1, 2, 7, 10, 50, 61, 103, 250}) {
            s.setTimesteps(n);
            int[] ts = s.timesteps();
            assertThat(ts).as("n=%d", n).hasSize(n);
            for (int i = 0; i < ts.length; i++) {
                assertThat(ts[i]).as("n=%d timestep %d", n, i).isBetween(0, numTrain - 1);
                if (i > 0) {
                    assertThat(ts[i]).as("n=%d timestep %d", n, i).isLessThan(ts[i - 1]);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stepOutputsHaveTheSampleShapeAndDtype(Case c) {
        Scheduler s = c.create(1);
        s.setTimesteps(STEPS);
        INDArray x = initialNoise(7);
        for (int t : s.timesteps()) {
            StepOutput out = s.step(model(s.scaleModelInput(x, t), t), t, x);
            assertThat(out.prevSample().shape()).isEqualTo(SHAPE);
            assertThat(out.predOriginalSample().shape()).isEqualTo(SHAPE);
            assertThat(out.prevSample().dataType()).isEqualTo(DataType.FLOAT);
            assertThat(out.prevSample().isInfinite().any() || out.prevSample().isNaN().any()).isFalse();
            x = out.prevSample();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stepBeforeSetTimestepsThrows(Case c) {
        Scheduler s = c.create(1);
        INDArray x = initialNoise(7);
        assertThatThrownBy(() -> s.step(x, 999, x))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("setTimesteps");
        assertThatThrownBy(s::timesteps).isInstanceOf(IllegalStateException.class).hasMessageContaining("setTimesteps");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void setTimestepsPastTrainingStepsOrBelowOneThrows(Case c) {
        Scheduler s = c.create(1);
        int numTrain = s.config().numTrainTimesteps();
        assertThatThrownBy(() -> s.setTimesteps(numTrain + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(numTrain + 1));
        assertThatThrownBy(() -> s.setTimesteps(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void freshInstanceFromSameConfigAndSeedReproducesTheLoopBitForBit(Case c) {
        float[] first = loop(c.create(42), initialNoise(3));
        float[] second = loop(c.create(42), initialNoise(3));
        assertThat(second).containsExactly(first);
        if (c.stochastic()) {
            assertThat(loop(c.create(43), initialNoise(3))).as("another seed").isNotEqualTo(first);
        }
    }

    /** The cases without noise: a stochastic scheduler's second run continues its noise stream instead. */
    static Stream<Arguments> deterministicCases() {
        return cases().filter(a -> !((Case) a.get()[0]).stochastic());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deterministicCases")
    void setTimestepsAgainRestartsADeterministicRun(Case c) {
        Scheduler s = c.create(1);
        float[] first = loop(s, initialNoise(5));
        assertThat(loop(s, initialNoise(5))).containsExactly(first);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everySchedulerCanBeBuiltFromThisOnesConfig(Case c) {
        Scheduler s = c.create(1);
        for (String other : Schedulers.names()) {
            Scheduler o = Schedulers.create(other, s.config(), 0.3, 9);
            assertThat(o.name()).isEqualTo(other);
            assertThat(o.config()).isEqualTo(c.config());
            float[] out = loop(o, initialNoise(1));
            for (float v : out) {
                assertThat(Float.isFinite(v)).as(other + " from " + c).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oracleDenoiserRecoversTheCleanSampleForEveryPredictionType(Case c) {
        INDArray x0 = Noise.gaussian(SHAPE, new SplittableRandom(11)).muli(0.5f);
        for (PredictionType type : PredictionType.values()) {
            // set_alpha_to_one so that DDIM's last step, like the others', ends at ᾱ = 1
            SchedulerConfig cfg = c.config().withPredictionType(type).withSetAlphaToOne(true);
            Scheduler s = Schedulers.create(c.sampler(), cfg, c.eta(), 4);
            NoiseSchedule schedule = s.noiseSchedule();
            s.setTimesteps(STEPS);
            INDArray x = initialNoise(2);
            StepOutput out = null;
            for (int t : s.timesteps()) {
                // the exact prediction for x_t given the true x0: ε = (x_t − √ᾱ·x0)/√(1−ᾱ)
                double a = schedule.alphaCumprod(t);
                INDArray eps = x.sub(x0.mul(Math.sqrt(a))).divi(Math.sqrt(1 - a));
                INDArray prediction = switch (type) {
                    case EPSILON -> eps;
                    case V_PREDICTION -> eps.mul(Math.sqrt(a)).subi(x0.mul(Math.sqrt(1 - a)));
                    case SAMPLE -> x0;
                };
                out = s.step(prediction, t, x);
                assertThat(maxAbsDiff(out.predOriginalSample(), x0)).as("%s %s x0 at t=%d", c, type, t).isLessThan(1e-4);
                x = out.prevSample();
            }
            assertThat(maxAbsDiff(x, x0)).as("%s %s final sample", c, type).isLessThan(1e-4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void strengthSelectsATailOfTheTimestepsThatRunsToTheEnd(Case c) {
        Scheduler s = c.create(1);
        s.setTimesteps(STEPS);
        int[] all = s.timesteps();
        int[] tail = s.timestepsForStrength(0.6);
        assertThat(tail).containsExactly(Arrays.copyOfRange(all, 4, STEPS));
        assertThat(s.timestepsForStrength(1.0)).containsExactly(all);
        assertThatThrownBy(() -> s.timestepsForStrength(0.05)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strength");
        assertThatThrownBy(() -> s.timestepsForStrength(1.5)).isInstanceOf(IllegalArgumentException.class);

        INDArray clean = Noise.gaussian(SHAPE, new SplittableRandom(5)).muli(0.5f);
        INDArray x = s.addNoise(clean, initialNoise(6), new int[] {tail[0], tail[0]});
        for (int t : tail) {
            x = s.step(model(x, t), t, x).prevSample();
        }
        assertThat(x.isNaN().any() || x.isInfinite().any()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stepRejectsAModelOutputOfAnotherShape(Case c) {
        Scheduler s = c.create(1);
        s.setTimesteps(STEPS);
        INDArray x = initialNoise(7);
        int t = s.timesteps()[0];
        assertThatThrownBy(() -> s.step(x.reshape(2, 3, 4, 16), t, x))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stepLeavesItsArgumentsUnchanged(Case c) {
        Scheduler s = c.create(1);
        s.setTimesteps(STEPS);
        INDArray x = initialNoise(7);
        int t = s.timesteps()[0];
        INDArray out = model(x, t);
        INDArray xCopy = x.dup();
        INDArray outCopy = out.dup();
        s.step(out, t, x);
        assertThat(x.equalsWithEps(xCopy, 0)).isTrue();
        assertThat(out.equalsWithEps(outCopy, 0)).isTrue();
    }

    private static float[] loop(Scheduler s, INDArray x) {
        s.setTimesteps(STEPS);
        for (int t : s.timesteps()) {
            x = s.step(model(x, t), t, x).prevSample();
        }
        return x.dup('c').data().asFloat();
    }

    private static INDArray initialNoise(long seed) {
        return Noise.gaussian(SHAPE, new SplittableRandom(seed));
    }

    /** A smooth stand-in denoiser. */
    private static INDArray model(INDArray x, int t) {
        return Transforms.sin(x, true).muli(0.9).addi(0.1 * Math.cos(t / 100.0));
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        return Transforms.abs(a.sub(b), false).maxNumber().doubleValue();
    }
}
