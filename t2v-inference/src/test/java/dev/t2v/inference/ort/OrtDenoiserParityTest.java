package dev.t2v.inference.ort;

import dev.t2v.core.model.OnnxPrecision;
import dev.t2v.core.model.DenoiserOnnxExporter;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.Denoiser;
import dev.t2v.data.onnx.OnnxModelException;
import dev.t2v.inference.ort.DenoiserFixtures.Inputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exported graph computes what the SameDiff graph computes: random weights everywhere (zero-initialised layers
 * too), one frame and several, text with padding and a sample without any real token; error relative to the
 * output's scale below 1e-4. The big presets are checked by {@code t2v bench --parity} (docs/benchmarks.md).
 */
class OrtDenoiserParityTest {
    @TempDir
    Path dir;

    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("tiny", DenoiserConfig.preset("tiny")),
                Arguments.of("demo", DenoiserConfig.preset("demo")),
                Arguments.of("tiny seed", DenoiserFixtures.tinySeed()),
                Arguments.of("tiny without temporal attention or pooled text",
                        DenoiserConfig.preset("tiny").withTemporalAttention(false).withPooledText(false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void ortMatchesSameDiffForOneAndSeveralFrames(String name, DenoiserConfig cfg) throws Exception {
        try (Denoiser model = DenoiserFixtures.randomModel(cfg, 11, 0.05)) {
            Path file = DenoiserOnnxExporter.export(cfg, model.weights(), OnnxPrecision.FP32, dir.resolve("d.onnx"));
            try (OrtDenoiser ort = OrtDenoiser.open(file, cfg, OrtOptions.cpu())) {
                for (int frames : new int[] {1, cfg.frames() == 1 ? 2 : cfg.frames()}) {
                    Inputs in = DenoiserFixtures.inputs(cfg, 3, frames, cfg.maxTextTokens() - 3, 5 + frames);
                    INDArray expected = model.forward(in.x(), in.t(), in.text(), in.mask());
                    INDArray actual = ort.predict(in.x(), in.t(), in.text(), in.mask());
                    assertThat(actual.shape()).isEqualTo(expected.shape());
                    assertThat(expected.amaxNumber().doubleValue()).as("non-trivial output").isGreaterThan(1e-2);
                    assertThat(DenoiserFixtures.relativeError(actual, expected)).as("F=%d", frames).isLessThan(1e-4);
                }
            }
        }
    }

    @Test
    void anExportOpenedForAnotherConfigIsRefusedNamingTheFile() throws Exception {
        DenoiserConfig tiny = DenoiserConfig.preset("tiny");
        try (Denoiser model = DenoiserFixtures.randomModel(tiny, 3, 0.05)) {
            Path file = DenoiserOnnxExporter.export(tiny, model.weights(), OnnxPrecision.FP32, dir.resolve("t.onnx"));
            assertThatThrownBy(() -> OrtDenoiser.open(file, DenoiserConfig.preset("demo"), OrtOptions.cpu()))
                    .isInstanceOf(OnnxModelException.class).hasMessageContaining("t.onnx");
        }
    }
}
