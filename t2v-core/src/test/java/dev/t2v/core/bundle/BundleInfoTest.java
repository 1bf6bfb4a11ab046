package dev.t2v.core.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.GuidanceInterval;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** model.json through Jackson records: the layout, optional fields, and errors that name the JSON path. */
class BundleInfoTest {
    private static final String SOURCE = "model/model.json";
    private static final DenoiserConfig CFG = DenoiserConfig.preset("tiny");

    private static BundleInfo info(CodecRef codec, String trainingConfig, String git) {
        TextEncoderRef text = new TextEncoderRef(TextEncoderRef.Kind.ONNX, "text/model.onnx", "text/tokenizer.json",
                "bert", "bert@abc", CFG.textDim(), 16);
        return new BundleInfo(CFG, SchedulerConfig.seed(), text, codec,
                new VideoSpec(CFG.frames(), 8.0, CFG.latentSize() * 8),
                new SamplingDefaults("dpmpp", 20, 3.0, new GuidanceInterval(0, 850)),
                new Provenance("sha", 100, 2, 7, git, "2026-01-02T03:04:05Z", trainingConfig, "dev"));
    }

    private static final CodecRef CODEC = new CodecRef(null, "codec/decoder.onnx", 5.44, CFG.latentChannels(), 8,
            "vae@x");

    private static String json(BundleInfo i) {
        return new String(i.toJson(), StandardCharsets.UTF_8);
    }

    @Test
    void roundTripsWithAndWithoutItsOptionalParts() throws IOException {
        BundleInfo full = info(CODEC, "{\"lr\":1.0E-4}", "abc123");
        BundleInfo bare = info(null, null, null);
        assertThat(BundleInfo.parse(json(full), SOURCE)).isEqualTo(full);
        assertThat(BundleInfo.parse(json(bare), SOURCE)).isEqualTo(bare);
        assertThat(json(bare)).contains("\"codec\" : null", "\"git_revision\" : null").doesNotContain("training_config");
        assertThat(json(full)).contains("\"guidance_interval\" : \"0,850\"", "\"training_config\" : {")
                .doesNotContain("\"encoder\"");
        // Keys in the documented order
        String j = json(full);
        assertThat(j.indexOf("\"format_version\"")).isLessThan(j.indexOf("\"denoiser\""));
        assertThat(j.indexOf("\"kind\" : \"onnx\"")).isLessThan(j.indexOf("\"model\" : \"text/model.onnx\""));
        assertThat(j.indexOf("\"provenance\"")).isGreaterThan(j.indexOf("\"sampling\""));
    }

    @Test
    void errorsNameTheJsonPathAndWhatWasExpected() {
        String j = json(info(CODEC, null, null));
        assertThatThrownBy(() -> BundleInfo.parse(j.replace("\"steps\" : 20,", "\"steps\" : \"20\","), SOURCE))
                .isInstanceOf(IOException.class)
                .hasMessage(SOURCE + ": sampling.steps: expected an integer, got string \"20\"");
        assertThatThrownBy(() -> BundleInfo.parse(j.replace("\"seed\" : 7,", ""), SOURCE))
                .hasMessage(SOURCE + ": provenance.seed: missing");
        assertThatThrownBy(() -> BundleInfo.parse(j.replace("\"kind\" : \"onnx-vae\"", "\"kind\" : \"gan\""), SOURCE))
                .hasMessage(SOURCE + ": codec.kind: expected \"onnx-vae\", got \"gan\"");
        assertThatThrownBy(() -> BundleInfo.parse(j.replace("\"kind\" : \"onnx\"", "\"kind\" : \"clip\""), SOURCE))
                .hasMessage(SOURCE + ": text_encoder.kind: expected \"minilm\" or \"onnx\", got \"clip\"");
        assertThatThrownBy(() -> BundleInfo.parse(j.replace("\"sampler\" : \"dpmpp\"", "\"sampler\" : \"euler\""),
                SOURCE)).hasMessageStartingWith(SOURCE + ": sampling sampler must be one of");
        assertThatThrownBy(() -> BundleInfo.parse(j.replace("\"format_version\" : 1", "\"format_version\" : 3"),
                SOURCE)).hasMessage(SOURCE + ": format_version: expected 1, got 3 (written by another t2v version?)");
        assertThatThrownBy(() -> BundleInfo.parse(j.replace("\"video\" : {", "\"video\" : 5, \"x\" : {"), SOURCE))
                .hasMessage(SOURCE + ": video: expected an object, got number 5");
    }
}
