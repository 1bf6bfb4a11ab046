package dev.t2v.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.inference.GenerationDefaults;
import dev.t2v.inference.GenerationRequest;
import org.junit.jupiter.api.Test;

/** The web form and a request that leaves fields out take the bundle's defaults, as the CLI does (not guidance 5). */
class RequestDefaultsTest {
    private static final GenerationDefaults BUNDLE = new GenerationDefaults(16, 8, "ddim", 25, 7.5,
            GuidanceInterval.parse("0,850"));

    @Test
    void theFormOffersTheBundlesDefaults() {
        var d = RequestJson.formDefaults(BUNDLE).get("defaults");
        assertThat(d.get("guidanceScale").asDouble()).isEqualTo(7.5);
        assertThat(d.get("steps").asInt()).isEqualTo(25);
        assertThat(d.get("frames").asInt()).isEqualTo(16);
        assertThat(d.get("sampler").asText()).isEqualTo("ddim");
        assertThat(d.get("guidanceInterval").asText()).isEqualTo("0,850");
    }

    @Test
    void aRequestLeavingFieldsOutGetsTheBundlesDefaults() throws Exception {
        GenerationRequest r = RequestJson.parse(new ObjectMapper().readTree("{\"prompt\": \"a red square\"}"),
                () -> 3, BUNDLE);
        assertThat(r.guidanceScale()).isEqualTo(7.5);
        assertThat(r.steps()).isEqualTo(25);
        assertThat(r.frames()).isEqualTo(16);
        assertThat(r.sampler()).isEqualTo("ddim");
        assertThat(r.guidanceInterval()).isEqualTo(GuidanceInterval.parse("0,850"));
    }

    @Test
    void aGuidanceIntervalIsTakenAndSentBack() throws Exception {
        GenerationRequest r = RequestJson.parse(new ObjectMapper().readTree(
                "{\"prompt\": \"a red square\", \"guidanceInterval\": \"100,700\"}"), () -> 3, BUNDLE);
        assertThat(r.guidanceInterval()).isEqualTo(new GuidanceInterval(100, 700));
        assertThat(RequestJson.toJson(r).get("guidanceInterval").asText()).isEqualTo("100,700");
        GenerationRequest all = RequestJson.parse(new ObjectMapper().readTree(
                "{\"prompt\": \"a red square\", \"guidanceInterval\": \"all\"}"), () -> 3, BUNDLE);
        assertThat(all.guidanceInterval()).isEqualTo(GuidanceInterval.ALWAYS);
    }

    @Test
    void theEmptyPromptIsAnUnconditionalRequestAsOnTheCommandLine() throws Exception {
        GenerationRequest r = RequestJson.parse(new ObjectMapper().readTree("{\"prompt\": \"\"}"), () -> 3, BUNDLE);
        assertThat(r.prompt()).isEmpty();
        assertThat(r.guidanceScale()).isEqualTo(7.5);
    }

    @Test
    void theFormsBoundsAreTheRequestsOwn() {
        var limits = RequestJson.formDefaults(BUNDLE).get("limits");
        assertThat(limits.get("guidanceScale").get("max").asDouble()).isEqualTo(GenerationRequest.MAX_GUIDANCE);
        assertThat(limits.get("steps").get("max").asInt()).isEqualTo(GenerationRequest.MAX_STEPS);
        assertThat(limits.get("frames").get("max").asInt()).isEqualTo(GenerationRequest.MAX_FRAMES);
    }
}
