package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.DenoiserConfig.Architecture;
import dev.t2v.core.io.Safetensors;
import dev.t2v.core.model.ModelFixtures.Batch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the inputs of the golden denoiser test: a very small model of each architecture with random weights (the
 * zero-initialised layers included) and inputs with one padded text token, as {@code <arch>-input.safetensors}.
 * {@code src/test/resources/golden/denoiser_reference.py} then computes the forward pass in numpy and writes
 * {@code <arch>.safetensors}, which {@link DenoiserGoldenTest} reads. To regenerate:
 *
 * <pre>
 * java -cp ... dev.t2v.core.model.GoldenInputs /tmp/golden
 * python3 t2v-core/src/test/resources/golden/denoiser_reference.py /tmp/golden t2v-core/src/test/resources/golden
 * </pre>
 */
public final class GoldenInputs {
    private GoldenInputs() {
    }

    static DenoiserConfig config(Architecture arch) {
        return arch == Architecture.LATTE
                ? new DenoiserConfig(Architecture.LATTE, 4, 4, 3, 2, 16, 1, 2, 4.0, 24, 6, true, true, 1e-6, 32)
                : new DenoiserConfig(Architecture.SEED, 4, 4, 1, 2, 16, 1, 2, 4.0, 24, 6, false, true, 1e-5, 32);
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        for (Architecture arch : Architecture.values()) {
            DenoiserConfig cfg = config(arch);
            try (Denoiser m = Denoiser.create(cfg, 1, DataType.DOUBLE)) {
                ModelFixtures.randomise(m, 2, 0.3);
                int frames = arch == Architecture.LATTE ? 3 : 2;
                Batch batch = ModelFixtures.batch(cfg, 2, frames, 5, 3, DataType.DOUBLE);
                batch.mask().putScalar(new long[] {1, 4}, 0.0);
                Map<String, INDArray> tensors = new LinkedHashMap<>(m.weights());
                tensors.put("input.x", batch.x());
                tensors.put("input.t", batch.t());
                tensors.put("input.text", batch.text());
                tensors.put("input.text_mask", batch.mask());
                Safetensors.write(dir.resolve(arch.name().toLowerCase() + "-input.safetensors"), tensors,
                        Map.of(Denoiser.CONFIG_METADATA_KEY, cfg.toJson()));
            }
        }
    }
}
