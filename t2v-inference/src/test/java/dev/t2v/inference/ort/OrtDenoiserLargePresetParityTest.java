package dev.t2v.inference.ort;

import dev.t2v.core.model.OnnxPrecision;
import dev.t2v.core.model.DenoiserOnnxExporter;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.Denoiser;
import dev.t2v.inference.ort.DenoiserFixtures.Inputs;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full-size presets export and match SameDiff too: one sample, one frame and two, a short padded caption, so the
 * whole graph (every block, full width and depth) is checked at a cost a CI run can pay.
 */
class OrtDenoiserLargePresetParityTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"small", "base", "seed"})
    void ortMatchesSameDiffAtFullSize(String preset) throws Exception {
        DenoiserConfig cfg = DenoiserConfig.preset(preset);
        try (Denoiser model = DenoiserFixtures.randomModel(cfg, 7, 0.02)) {
            Path file = DenoiserOnnxExporter.export(cfg, model.weights(), OnnxPrecision.FP32, dir.resolve("d.onnx"));
            try (OrtDenoiser ort = OrtDenoiser.open(file, cfg, OrtOptions.cpu())) {
                for (int frames : new int[] {1, 2}) {
                    Inputs in = DenoiserFixtures.inputs(cfg, 1, frames, 6, 3 + frames);
                    INDArray expected = model.forward(in.x(), in.t(), in.text(), in.mask());
                    INDArray actual = ort.predict(in.x(), in.t(), in.text(), in.mask());
                    assertThat(actual.shape()).isEqualTo(expected.shape());
                    assertThat(expected.amaxNumber().doubleValue()).as("non-trivial output").isGreaterThan(1e-2);
                    assertThat(DenoiserFixtures.relativeError(actual, expected)).as("%s F=%d", preset, frames)
                            .isLessThan(1e-4);
                }
            }
        }
    }
}
