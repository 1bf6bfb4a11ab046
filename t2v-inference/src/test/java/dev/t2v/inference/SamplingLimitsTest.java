package dev.t2v.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.bundle.BundleInfo;
import dev.t2v.core.bundle.SamplingDefaults;
import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.core.diffusion.Schedulers;
import org.junit.jupiter.api.Test;

/** One source for the sampling limits: a bundle whose model.json reads is a bundle whose defaults a request takes. */
class SamplingLimitsTest {
    @Test
    void requestsAndBundlesShareTheirLimits() {
        assertThat(GenerationRequest.MAX_GUIDANCE).isEqualTo(SamplingDefaults.MAX_GUIDANCE);
        assertThat(GenerationRequest.MAX_STEPS).isEqualTo(SamplingDefaults.MAX_STEPS);
        assertThat(SamplingDefaults.SAMPLERS).containsExactlyInAnyOrderElementsOf(Schedulers.names());
    }

    @Test
    void bundleDefaultsAtTheLimitsMakeValidRequests() {
        for (String sampler : Schedulers.names()) {
            SamplingDefaults s = new SamplingDefaults(sampler, SamplingDefaults.MAX_STEPS,
                    SamplingDefaults.MAX_GUIDANCE, GuidanceInterval.parse("0,700"));
            GenerationRequest r = new GenerationDefaults(8, 8, s.sampler(), s.steps(), s.guidance(),
                    s.guidanceInterval()).builder("a red circle").build();
            assertThat(r.guidanceScale()).isEqualTo(SamplingDefaults.MAX_GUIDANCE);
            assertThat(r.steps()).isEqualTo(SamplingDefaults.MAX_STEPS);
            assertThat(r.sampler()).isEqualTo(sampler);
        }
    }

    @Test
    void aModelJsonWhoseGuidanceNoRequestAcceptsIsRefusedWhenRead() throws Exception {
        String json;
        try (var in = DemoModel.class.getClassLoader().getResourceAsStream(DemoModel.RESOURCE_DIR + "model.json")) {
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(BundleInfo.parse(json, "model.json").sampling().guidance()).isLessThanOrEqualTo(SamplingDefaults.MAX_GUIDANCE);
        String tooHigh = json.replaceFirst("\"guidance\"\\s*:\\s*[0-9.]+", "\"guidance\": 40.0");
        assertThat(tooHigh).isNotEqualTo(json);
        assertThatThrownBy(() -> BundleInfo.parse(tooHigh, "model.json"))
                .hasMessageContaining("model.json").hasMessageContaining("guidance")
                .hasMessageContaining("[0, " + SamplingDefaults.MAX_GUIDANCE + "]");
        assertThatThrownBy(() -> GenerationRequest.builder("p").guidanceScale(40).build())
                .hasMessageContaining("[0, " + GenerationRequest.MAX_GUIDANCE + "]");
    }
}
