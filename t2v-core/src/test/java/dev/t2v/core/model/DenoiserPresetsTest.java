package dev.t2v.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.DenoiserConfig.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;

import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

/** Every preset builds with the parameters its config promises; the FLOP model counts what the graph multiplies. */
class DenoiserPresetsTest {

    static Stream<String> presets() {
        return DenoiserConfig.presetNames().stream();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void parameterSpecsAgreeWithTheConfigsCountAndNamesAreUnique(String preset) {
        DenoiserConfig cfg = DenoiserConfig.preset(preset);
        List<ParamSpec> specs = cfg.architecture() == Architecture.LATTE
                ? VideoTransformer.parameterSpecs(cfg) : SeedTransformer.parameterSpecs(cfg);
        assertThat(specs.stream().mapToLong(ParamSpec::length).sum()).isEqualTo(cfg.parameterCount());
        assertThat(new HashSet<>(Denoiser.parameterNamesFor(cfg))).hasSize(specs.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny", "demo"})
    void smallPresetsRunImageAndVideoShapes(String preset) {
        DenoiserConfig cfg = DenoiserConfig.preset(preset);
        try (Denoiser m = Denoiser.create(cfg, 1)) {
            assertThat(m).isInstanceOf(VideoTransformer.class);
            assertThat(m.parameterCount()).isEqualTo(cfg.parameterCount());
            ModelFixtures.randomise(m, 2, 0.02);
            int s = cfg.latentSize();
            for (int frames : new int[] {1, cfg.frames()}) {
                INDArray out = ModelFixtures.batch(cfg, 2, frames, cfg.maxTextTokens(), 3, DataType.FLOAT).forward(m);
                assertThat(out.shape()).containsExactly(2, frames, cfg.latentChannels(), s, s);
            }
        }
    }

    @Test
    void seedPresetBuildsAndRunsOneForward() {
        DenoiserConfig cfg = DenoiserConfig.preset("seed");
        try (Denoiser m = Denoiser.create(cfg, 1)) {
            assertThat(m).isInstanceOf(SeedTransformer.class);
            assertThat(m.parameterCount()).isEqualTo(cfg.parameterCount());
            assertThat(m.weights().get("pos_embed").shape()).containsExactly(1, 1024, 768);
            INDArray out = ModelFixtures.batch(cfg, 1, 1, 77, 3, DataType.FLOAT).forward(m);
            assertThat(out.shape()).containsExactly(1, 1, 4, 32, 32);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"small", "base"})
    void largerLattePresetsBuildAndRunOneImage(String preset) {
        DenoiserConfig cfg = DenoiserConfig.preset(preset);
        try (Denoiser m = Denoiser.create(cfg, 1)) {
            assertThat(m.parameterCount()).isEqualTo(cfg.parameterCount());
            assertThat(m.sameDiff().getVariable("out")).isNotNull();
            // One image (F = 1) keeps this cheap; the graph is the same one that runs 8 frames.
            INDArray out = ModelFixtures.batch(cfg, 1, 1, 77, 3, DataType.FLOAT).forward(m);
            assertThat(out.shape()).containsExactly(1, 1, 4, 32, 32);
        }
    }

    /** Counts 2·m·n·k over every matmul the graph executes, except K = 1 products, which are broadcasts. */
    private static final class MatmulFlops extends BaseListener {
        long flops;

        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void opExecution(SameDiff sd, At at, org.nd4j.linalg.dataset.api.MultiDataSet batch, SameDiffOp op,
                                OpContext ctx, INDArray[] outputs) {
            if (op.getOp() instanceof Mmul) {
                INDArray a = ctx.getInputArrays().get(0);
                boolean transposeA = !ctx.getIArguments().isEmpty() && ctx.getIArguments().get(0) != 0;
                long k = transposeA ? a.size(a.rank() - 2) : a.size(a.rank() - 1);
                if (k > 1) {
                    flops += 2 * outputs[0].length() * k;
                }
            }
        }
    }

    static Stream<DenoiserConfig> flopConfigs() {
        DenoiserConfig tiny = DenoiserConfig.preset("tiny");
        return Stream.of(tiny, tiny.withTemporalAttention(false), ModelFixtures.tinySeed(),
                ModelFixtures.tinySeed().withPooledText(true));
    }

    @ParameterizedTest
    @MethodSource("flopConfigs")
    void forwardFlopsEqualTheMatmulsTheGraphRuns(DenoiserConfig cfg) {
        try (Denoiser m = Denoiser.create(cfg, 1)) {
            MatmulFlops counter = new MatmulFlops();
            m.sameDiff().setListeners(counter);
            int frames = cfg.architecture() == Architecture.SEED ? 2 : 3;
            ModelFixtures.batch(cfg, 2, frames, 7, 3, DataType.FLOAT).forward(m);
            assertThat(counter.flops).isPositive().isEqualTo(cfg.forwardFlops(2, frames, 7));
        }
    }
}
