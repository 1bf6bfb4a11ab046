package dev.t2v.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.ModelFixtures.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.stream.Stream;

/** What the denoisers compute: zero start, which inputs reach which outputs, masking, determinism. */
class DenoiserBehaviourTest {
    private static final DenoiserConfig TINY = DenoiserConfig.preset("tiny");

    static Stream<DenoiserConfig> tinyConfigs() {
        return Stream.of(TINY, ModelFixtures.tinySeed());
    }

    @ParameterizedTest
    @MethodSource("tinyConfigs")
    void freshModelOutputsExactlyZero(DenoiserConfig cfg) {
        try (Denoiser m = Denoiser.create(cfg, 7)) {
            INDArray out = ModelFixtures.batch(cfg, 2, cfg.frames(), 5, 1, DataType.FLOAT).forward(m);
            assertThat(out.amaxNumber().doubleValue()).isZero();
        }
    }

    @Test
    void sameSeedGivesSameWeightsAndOtherSeedDoesNot() {
        try (Denoiser a = Denoiser.create(TINY, 42); Denoiser b = Denoiser.create(TINY, 42);
             Denoiser c = Denoiser.create(TINY, 43)) {
            for (String name : a.parameterNames()) {
                assertThat(a.weights().get(name)).as(name).isEqualTo(b.weights().get(name));
            }
            assertThat(a.weights().get("blocks.0.attn_spatial.qkv.weight"))
                    .isNotEqualTo(c.weights().get("blocks.0.attn_spatial.qkv.weight"));
        }
    }

    @Test
    void temporalAttentionCarriesFrameZeroToLastFrame() {
        try (Denoiser m = Denoiser.create(TINY, 1)) {
            ModelFixtures.randomise(m, 2, 0.2);
            Batch batch = ModelFixtures.batch(TINY, 1, 4, 5, 3, DataType.FLOAT);
            INDArray before = batch.forward(m);
            INDArray after = batch.withX(perturbFrame(batch.x(), 0)).forward(m);
            assertThat(maxAbsDiff(frame(before, 3), frame(after, 3))).isGreaterThan(1e-4);
        }
    }

    @ParameterizedTest
    @MethodSource("tinyConfigs")
    void withoutTemporalAttentionFramesAreIndependent(DenoiserConfig base) {
        DenoiserConfig cfg = base.withTemporalAttention(false).withFrames(4);
        try (Denoiser m = Denoiser.create(cfg, 1)) {
            ModelFixtures.randomise(m, 2, 0.2);
            Batch batch = ModelFixtures.batch(cfg, 2, 4, 5, 3, DataType.FLOAT);
            INDArray before = batch.forward(m);
            INDArray after = batch.withX(perturbFrame(batch.x(), 0)).forward(m);
            assertThat(maxAbsDiff(frame(before, 0), frame(after, 0))).isGreaterThan(1e-4);
            for (int f = 1; f < 4; f++) {
                assertThat(maxAbsDiff(frame(before, f), frame(after, f))).as("frame %d", f).isLessThan(1e-6);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("tinyConfigs")
    void changingTheTextChangesTheOutput(DenoiserConfig cfg) {
        try (Denoiser m = Denoiser.create(cfg, 1)) {
            ModelFixtures.randomise(m, 2, 0.2);
            Batch batch = ModelFixtures.batch(cfg, 2, cfg.frames(), 5, 3, DataType.FLOAT);
            INDArray other = ModelFixtures.batch(cfg, 2, cfg.frames(), 5, 99, DataType.FLOAT).text();
            assertThat(maxAbsDiff(batch.forward(m), batch.withText(other, batch.mask()).forward(m))).isGreaterThan(1e-4);
        }
    }

    @ParameterizedTest
    @MethodSource("tinyConfigs")
    void maskedTextTokensHaveNoEffect(DenoiserConfig cfg) {
        // DOUBLE, because a longer text changes the matmul shapes and so the float rounding.
        try (Denoiser m = Denoiser.create(cfg, 1, DataType.DOUBLE)) {
            ModelFixtures.randomise(m, 2, 0.2);
            Batch batch = ModelFixtures.batch(cfg, 2, cfg.frames(), 3, 3, DataType.DOUBLE);
            INDArray reference = batch.forward(m);

            // The same 3 real tokens padded to 6 with garbage that the mask hides.
            INDArray padded = ModelFixtures.batch(cfg, 2, cfg.frames(), 6, 50, DataType.DOUBLE).text().muli(10);
            padded.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3), NDArrayIndex.all()).assign(batch.text());
            INDArray mask = Nd4j.zeros(DataType.DOUBLE, 2, 6);
            mask.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).assign(1);
            INDArray out = batch.withText(padded, mask).forward(m);
            assertThat(maxAbsDiff(reference, out)).isLessThan(1e-12);
            assertThat(reference.amaxNumber().doubleValue()).isGreaterThan(1e-2);

            // Other garbage under the same mask: the same shapes, so the very same bits.
            INDArray garbage = padded.dup();
            garbage.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 6), NDArrayIndex.all()).muli(-7);
            assertThat(batch.withText(garbage, mask).forward(m)).isEqualTo(out);
        }
    }

    @ParameterizedTest
    @MethodSource("tinyConfigs")
    void allPaddingTextActsLikeNoText(DenoiserConfig cfg) {
        try (Denoiser m = Denoiser.create(cfg, 1)) {
            ModelFixtures.randomise(m, 2, 0.2);
            Batch a = ModelFixtures.batch(cfg, 1, cfg.frames(), 4, 3, DataType.FLOAT);
            Batch b = a.withText(a.text().mul(-3).add(1), a.mask());
            INDArray none = Nd4j.zeros(DataType.FLOAT, 1, 4);
            assertThat(maxAbsDiff(a.withText(a.text(), none).forward(m), b.withText(b.text(), none).forward(m)))
                    .isLessThan(1e-6);
        }
    }

    @Test
    void anyFrameCountAndTextLengthUpToTheMaximumRun() {
        try (Denoiser m = Denoiser.create(TINY, 1)) {
            ModelFixtures.randomise(m, 2, 0.1);
            for (int[] ft : new int[][] {{1, 1}, {2, 16}, {4, 7}, {6, 3}}) {
                INDArray out = ModelFixtures.batch(TINY, 3, ft[0], ft[1], 5, DataType.FLOAT).forward(m);
                assertThat(out.shape()).containsExactly(3, ft[0], 4, 8, 8);
                assertThat(Double.isFinite(out.sumNumber().doubleValue())).isTrue();
            }
        }
    }

    @Test
    void badInputsAreRejectedNamingTheArgument() {
        try (Denoiser m = Denoiser.create(TINY, 1)) {
            Batch ok = ModelFixtures.batch(TINY, 2, 4, 5, 3, DataType.FLOAT);
            assertThatThrownBy(() -> m.forward(Nd4j.zeros(DataType.FLOAT, 2, 4, 3, 8, 8), ok.t(), ok.text(), ok.mask()))
                    .hasMessageContaining("x must be [B,F,4,8,8]");
            assertThatThrownBy(() -> m.forward(ok.x(), Nd4j.zeros(DataType.FLOAT, 3), ok.text(), ok.mask()))
                    .hasMessageContaining("t must be [2]");
            INDArray long17 = Nd4j.zeros(DataType.FLOAT, 2, 17, 384);
            assertThatThrownBy(() -> m.forward(ok.x(), ok.t(), long17, Nd4j.ones(DataType.FLOAT, 2, 17)))
                    .hasMessageContaining("1 <= T <= 16");
            assertThatThrownBy(() -> m.forward(ok.x(), ok.t(), ok.text(), Nd4j.ones(DataType.FLOAT, 2, 4)))
                    .hasMessageContaining("text_mask must be [2,5]");
        }
    }

    @Test
    void earlierOutputsSurviveLaterCalls() {
        try (Denoiser m = Denoiser.create(TINY, 1)) {
            ModelFixtures.randomise(m, 2, 0.1);
            Batch a = ModelFixtures.batch(TINY, 2, 4, 5, 3, DataType.FLOAT);
            INDArray first = a.forward(m);
            INDArray copy = first.dup();
            ModelFixtures.batch(TINY, 2, 4, 5, 4, DataType.FLOAT).forward(m);
            ModelFixtures.batch(TINY, 1, 2, 3, 5, DataType.FLOAT).forward(m);
            assertThat(first).isEqualTo(copy);
            assertThat(a.forward(m)).isEqualTo(copy);
        }
    }

    @Test
    void closedModelRefusesWork() {
        Denoiser m = Denoiser.create(TINY, 1);
        m.close();
        m.close(); // idempotent
        assertThatThrownBy(m::weights).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    static INDArray perturbFrame(INDArray x, int frame) {
        INDArray y = x.dup();
        y.get(NDArrayIndex.all(), NDArrayIndex.point(frame)).addi(1.0);
        return y;
    }

    static INDArray frame(INDArray out, int f) {
        return out.get(NDArrayIndex.all(), NDArrayIndex.point(f));
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
