package dev.t2v.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where the demo bundle goes and the hash that names it are known without extracting it ({@code t2v info}). */
class DemoModelLocationTest {
    @Test
    void itsLocationAndHashAreKnownWithoutExtracting() throws Exception {
        assertThat(DemoModel.hash()).matches("[0-9a-f]{64}");
        assertThat(DemoModel.location().getFileName().toString()).isEqualTo("demo-" + DemoModel.hash().substring(0, 12));
        assertThat(DemoModel.location()).isEqualTo(DemoModel.directory());
    }
}
