package dev.t2v.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.config.DenoiserConfig.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

class DenoiserConfigTest {

    static Stream<String> presets() {
        return DenoiserConfig.presetNames().stream();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyPresetSurvivesAJsonRoundTrip(String name) {
        DenoiserConfig cfg = DenoiserConfig.preset(name);
        assertThat(DenoiserConfig.fromJson(cfg.toJson())).isEqualTo(cfg);
    }

    @Test
    void jsonUsesSnakeCaseFieldNames() {
        String json = DenoiserConfig.preset("tiny").toJson();
        assertThat(json).contains("\"architecture\" : \"LATTE\"", "\"latent_channels\" : 4", "\"max_text_tokens\" : 16",
                "\"temporal_attention\" : true", "\"pooled_text\" : true", "\"frequency_embedding_size\" : 256");
        assertThat(json).doesNotContain("gridSize", "grid_size", "parameterCount");
    }

    @Test
    void presetsHaveTheDocumentedShapes() {
        DenoiserConfig seed = DenoiserConfig.preset("seed");
        assertThat(seed.architecture()).isEqualTo(Architecture.SEED);
        assertThat(seed.frames() * seed.tokensPerFrame()).isEqualTo(1024);
        assertThat(seed.hiddenSize()).isEqualTo(768);
        assertThat(seed.depth()).isEqualTo(12);
        assertThat(seed.numHeads()).isEqualTo(12);
        assertThat(seed.textDim()).isEqualTo(512);
        assertThat(seed.maxTextTokens()).isEqualTo(77);

        DenoiserConfig base = DenoiserConfig.preset("base");
        assertThat(base.architecture()).isEqualTo(Architecture.LATTE);
        assertThat(base.tokensPerFrame()).isEqualTo(256);
        assertThat(base.frames()).isEqualTo(8);

        DenoiserConfig demo = DenoiserConfig.preset("demo");
        assertThat(demo.latentSize() * 8).isEqualTo(128);
        assertThat(demo.textDim()).isEqualTo(384);
        assertThat(demo.maxTextTokens()).isEqualTo(32);
        assertThat(demo.headDim()).isBetween(32, 64);

        DenoiserConfig tiny = DenoiserConfig.preset("tiny");
        assertThat(tiny.depth()).isEqualTo(2);
        assertThat(tiny.numHeads()).isEqualTo(4);
        assertThat(tiny.headDim()).isEqualTo(8);
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        assertThatThrownBy(() -> DenoiserConfig.preset("huge"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'huge'")
                .hasMessageContaining("tiny, demo, small, base, seed");
    }

    @Test
    void invalidSizesAreRejectedNamingTheField() {
        DenoiserConfig tiny = DenoiserConfig.preset("tiny");
        assertThatThrownBy(() -> tiny.withSize(36, 2, 8)).hasMessageContaining("hidden_size 36")
                .hasMessageContaining("num_heads 8");
        assertThatThrownBy(() -> tiny.withLatentSize(9)).hasMessageContaining("latent_size 9")
                .hasMessageContaining("patch_size 2");
        assertThatThrownBy(() -> tiny.withFrames(0)).hasMessageContaining("frames must be >= 1");
        assertThatThrownBy(() -> tiny.withTextDim(-1)).hasMessageContaining("text_dim");
        assertThatThrownBy(() -> tiny.withSize(30, 2, 5)).hasMessageContaining("divisible by 4");
        assertThatThrownBy(() -> DenoiserConfig.preset("seed").withTemporalAttention(true))
                .hasMessageContaining("temporal_attention");
    }

    @Test
    void jsonWithAMissingUnknownOrInvalidFieldIsRejected() {
        String json = DenoiserConfig.preset("tiny").toJson();
        assertThatThrownBy(() -> DenoiserConfig.fromJson(json.replace("\"depth\" : 2,", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'depth': missing field");
        assertThatThrownBy(() -> DenoiserConfig.fromJson(json.replaceFirst("\\{", "{\"colour\" : 1,")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown field 'colour'");
        assertThatThrownBy(() -> DenoiserConfig.fromJson(json.replace("\"num_heads\" : 4", "\"num_heads\" : 3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("num_heads 3");
        assertThatThrownBy(() -> DenoiserConfig.fromJson(json.replace("LATTE", "UNET")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNET");
    }

    @Test
    void copiesChangeOnlyTheirField() {
        DenoiserConfig tiny = DenoiserConfig.preset("tiny");
        assertThat(tiny.withTextDim(768).textDim()).isEqualTo(768);
        assertThat(tiny.withTextDim(768).withTextDim(384)).isEqualTo(tiny);
        assertThat(tiny.withFrames(16).withFrames(4)).isEqualTo(tiny);
        assertThat(tiny.withTemporalAttention(false).temporalAttention()).isFalse();
        assertThat(tiny.withTemporalAttention(false).modulationChunks()).isEqualTo(6);
        assertThat(tiny.withPooledText(false).pooledText()).isFalse();
        assertThat(tiny.withMaxTextTokens(77).maxTextTokens()).isEqualTo(77);
    }

    @Test
    void parameterCountMatchesAHandCountForTiny() {
        // D=32, M=128, P=16, Dt=384, E=256, depth 2, temporal on (9 chunks).
        long d = 32, m = 128, p = 16;
        long block = (d * 9 * d + 9 * d) + 2 * (d * 3 * d + 3 * d + d * d + d) + 2 * d
                + (d * d + d) + (d * 2 * d + 2 * d) + (d * d + d) + (d * m + m) + (m * d + d);
        long expected = (p * d + d) + (256 * d + d) + (d * d + d) + (384 * d + d) + 2 * block
                + (d * 2 * d + 2 * d) + (d * p + p);
        assertThat(DenoiserConfig.preset("tiny").parameterCount()).isEqualTo(expected);
    }

    @Test
    void forwardFlopsAreLinearInBatchAndCountTemporalAttention() {
        DenoiserConfig base = DenoiserConfig.preset("base");
        assertThat(base.forwardFlops(2, 8)).isEqualTo(2 * base.forwardFlops(1, 8));
        assertThat(base.forwardFlops(1, 8)).isEqualTo(base.forwardFlops(1, 8, 77));
        // Temporal attention: per block 2·S·4D² for its linears plus 2·2·N·F²·D for scores and weighted sums.
        long n = 256, f = 8, d = 768, s = n * f;
        long temporal = 12 * (2 * s * 4 * d * d + 4 * n * f * f * d);
        long adaLnDifference = 12 * 2 * d * 3 * d; // 9 instead of 6 modulation chunks
        assertThat(base.forwardFlops(1, 8) - base.withTemporalAttention(false).forwardFlops(1, 8))
                .isEqualTo(temporal + adaLnDifference);
        assertThatThrownBy(() -> base.forwardFlops(0, 8)).hasMessageContaining("batch");
    }
}
