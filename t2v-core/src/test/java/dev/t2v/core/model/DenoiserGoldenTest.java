package dev.t2v.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.io.Safetensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Both graphs against an independent numpy implementation ({@code golden/denoiser_reference.py}, see
 * {@link GoldenInputs}): random weights everywhere, two samples, several frames, one padded text token. The golden
 * files are written by that script's own safetensors writer, so reading them also checks Python-layout files.
 */
class DenoiserGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"latte", "seed"})
    void forwardMatchesTheNumpyReference(String arch) throws IOException, URISyntaxException {
        Path file = Path.of(getClass().getResource("/golden/" + arch + ".safetensors").toURI());
        Map<String, INDArray> tensors = Safetensors.read(file);
        DenoiserConfig cfg = DenoiserConfig.fromJson(Safetensors.readMetadata(file).get(Denoiser.CONFIG_METADATA_KEY));
        Map<String, INDArray> weights = tensors.entrySet().stream()
                .filter(e -> !e.getKey().startsWith("input.") && !e.getKey().startsWith("expected."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        INDArray expected = tensors.get("expected.out");
        double scale = expected.amaxNumber().doubleValue();
        assertThat(scale).isGreaterThan(0.5); // a real signal, not the zero-initialised output

        try (Denoiser exact = Denoiser.fromWeights(cfg, weights, DataType.DOUBLE);
             Denoiser single = Denoiser.fromWeights(cfg, weights)) {
            INDArray x = tensors.get("input.x"), t = tensors.get("input.t");
            INDArray text = tensors.get("input.text"), mask = tensors.get("input.text_mask");
            assertThat(maxAbsDiff(exact.forward(x, t, text, mask), expected)).isLessThan(1e-10 * scale);
            assertThat(maxAbsDiff(single.forward(x, t, text, mask).castTo(DataType.DOUBLE), expected))
                    .isLessThan(1e-4 * scale);
        }
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        assertThat(a.shape()).containsExactly(b.shape());
        return a.sub(b).amaxNumber().doubleValue();
    }
}
