package dev.t2v.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.inference.GenerationDefaults;
import dev.t2v.inference.GenerationRequest;
import org.junit.jupiter.api.Test;

/** The web form and a request that leaves fields out take the bundle's defaults, as the CLI does (not guidance 5). */
class RequestDefaultsTest {
    private static final GenerationDefaults BUNDLE = new GenerationDefaults(16, 8, "dpmpp", 25, 7.5,
            GuidanceInterval.ALWAYS);

    @Test
    void theFormOffersTheBundlesDefaults() {
        var d = RequestJson.formDefaults(BUNDLE).get("defaults");
        assertThat(d.get("guidanceScale").asDouble()).isEqualTo(7.5);
        assertThat(d.get("steps").asInt()).isEqualTo(25);
        assertThat(d.get("frames").asInt()).isEqualTo(16);
    }

    @Test
    void aRequestLeavingFieldsOutGetsTheBundlesDefaults() throws Exception {
        GenerationRequest r = RequestJson.parse(new ObjectMapper().readTree("{\"prompt\": \"a red square\"}"),
                () -> 3, BUNDLE);
        assertThat(r.guidanceScale()).isEqualTo(7.5);
        assertThat(r.steps()).isEqualTo(25);
        assertThat(r.frames()).isEqualTo(16);
    }
}
