package dev.t2v.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.io.Safetensors;
import dev.t2v.core.model.ModelFixtures.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Weights in and out: safetensors round trips, and clear refusals of weights that do not fit the config. */
class DenoiserWeightsTest {
    private static final DenoiserConfig TINY = DenoiserConfig.preset("tiny");

    @TempDir
    Path dir;

    static Stream<DenoiserConfig> configs() {
        return Stream.of(TINY, ModelFixtures.tinySeed());
    }

    @ParameterizedTest
    @MethodSource("configs")
    void saveThenLoadIsBitExactInWeightsAndOutputs(DenoiserConfig cfg) throws IOException {
        Path file = dir.resolve("denoiser.safetensors");
        Batch batch = ModelFixtures.batch(cfg, 2, cfg.frames(), 5, 3, DataType.FLOAT);
        INDArray expected;
        Map<String, INDArray> saved = new LinkedHashMap<>();
        try (Denoiser m = Denoiser.create(cfg, 5)) {
            ModelFixtures.randomise(m, 6, 0.1);
            m.weights().forEach((k, v) -> saved.put(k, v.dup()));
            expected = batch.forward(m).dup();
            m.save(file);
        }
        try (Denoiser loaded = Denoiser.load(file)) {
            assertThat(loaded.config()).isEqualTo(cfg);
            assertThat(loaded.parameterNames()).containsExactlyElementsOf(saved.keySet());
            saved.forEach((name, w) -> assertThat(bits(loaded.weights().get(name))).as(name).isEqualTo(bits(w)));
            assertThat(bits(batch.forward(loaded))).isEqualTo(bits(expected));
        }
    }

    @Test
    void weightsFromPythonStyleHalfPrecisionFilesLoadWithAnExplicitConfig() throws IOException {
        Path file = dir.resolve("fp16.safetensors");
        Map<String, INDArray> half = new HashMap<>();
        try (Denoiser m = Denoiser.create(TINY, 5)) {
            m.weights().forEach((k, v) -> half.put(k, v.castTo(DataType.HALF)));
        }
        Safetensors.write(file, half, Map.of("format", "pt"));
        try (Denoiser loaded = Denoiser.load(TINY, file)) {
            assertThat(loaded.dataType()).isEqualTo(DataType.FLOAT);
            INDArray w = loaded.weights().get("blocks.1.mlp.fc1.weight");
            assertThat(w.dataType()).isEqualTo(DataType.FLOAT);
            assertThat(bits(w)).isEqualTo(bits(half.get("blocks.1.mlp.fc1.weight").castTo(DataType.FLOAT)));
        }
        assertThatThrownBy(() -> Denoiser.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("t2v.denoiser_config");
    }

    @Test
    void fromWeightsNamesTheMissingUnexpectedOrMisshapedTensor() {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        try (Denoiser m = Denoiser.create(TINY, 5)) {
            m.weights().forEach((k, v) -> weights.put(k, v.dup()));
        }
        Map<String, INDArray> missing = new LinkedHashMap<>(weights);
        missing.remove("blocks.1.cross_attn.kv.bias");
        assertThatThrownBy(() -> Denoiser.fromWeights(TINY, missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing").hasMessageContaining("blocks.1.cross_attn.kv.bias");

        Map<String, INDArray> extra = new LinkedHashMap<>(weights);
        extra.put("blocks.2.mlp.fc1.weight", Nd4j.zeros(DataType.FLOAT, 128, 32));
        assertThatThrownBy(() -> Denoiser.fromWeights(TINY, extra))
                .hasMessageContaining("unexpected").hasMessageContaining("blocks.2.mlp.fc1.weight");

        Map<String, INDArray> misshaped = new LinkedHashMap<>(weights);
        misshaped.put("text_proj.weight", Nd4j.zeros(DataType.FLOAT, 32, 512));
        assertThatThrownBy(() -> Denoiser.fromWeights(TINY, misshaped))
                .hasMessageContaining("'text_proj.weight'").hasMessageContaining("[32, 512]")
                .hasMessageContaining("[32, 384]");

        // A wider text encoder is a config change, not a loading accident.
        try (Denoiser wide = Denoiser.fromWeights(TINY.withTextDim(512), misshaped)) {
            assertThat(wide.weights().get("text_proj.weight").shape()).containsExactly(32, 512);
        }
    }

    @Test
    void fromWeightsCopiesSoTheCallersArraysStayTheirs() {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        try (Denoiser m = Denoiser.create(TINY, 5)) {
            m.weights().forEach((k, v) -> weights.put(k, v.dup()));
        }
        try (Denoiser m = Denoiser.fromWeights(TINY, weights)) {
            weights.get("x_embedder.proj.bias").assign(42);
            assertThat(m.weights().get("x_embedder.proj.bias").maxNumber().doubleValue()).isZero();
        }
        assertThat(weights.get("x_embedder.proj.bias").minNumber().doubleValue()).isEqualTo(42);
    }

    @Test
    void savingLeavesNoTemporaryFilesBehind() throws IOException {
        try (Denoiser m = Denoiser.create(TINY, 5)) {
            m.save(dir.resolve("a.safetensors"));
            m.save(dir.resolve("a.safetensors")); // overwrite in place
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.safetensors");
        }
    }

    private static int[] bits(INDArray a) {
        float[] f = a.dup('c').data().asFloat();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }
}
