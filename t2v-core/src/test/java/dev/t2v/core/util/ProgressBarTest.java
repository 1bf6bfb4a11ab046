package dev.t2v.core.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String[] lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toArray(String[]::new);
    }

    @Test
    void finalStateIsDrawnOnceWhenTheLastStepAlreadyDrewIt() {
        try (ProgressBar bar = new ProgressBar(out, "work", 3, 1_000_000, false)) {
            bar.step();
            bar.step();
            bar.step();
        }
        // the first step draws (no earlier draw), the middle one is throttled, the last reaches the total
        assertThat(lines()).hasSize(2);
        assertThat(lines()[1]).startsWith("work [========================] 3/3");
    }

    @Test
    void closeDrawsAStateTheThrottleSkipped() {
        try (ProgressBar bar = new ProgressBar(out, "work", 10, 1_000_000, false)) {
            bar.step();
            bar.step();
            bar.extra("loss 0.5");
        }
        assertThat(lines()).hasSize(2);
        assertThat(lines()[1]).contains("2/10").endsWith("| loss 0.5");
    }

    @Test
    void unknownTotalShowsACountWithoutABar() {
        try (ProgressBar bar = new ProgressBar(out, "scan", 0, 0, false)) {
            bar.stepTo(5);
        }
        assertThat(lines()[0]).startsWith("scan 5 ").doesNotContain("[");
    }

    @Test
    void silentBarPrintsNothing() {
        try (ProgressBar bar = ProgressBar.silent()) {
            bar.step();
        }
        assertThat(bytes.size()).isZero();
    }

    @Test
    void durationsFormatAsMinutesOrHours() {
        assertThat(ProgressBar.format(Duration.ofSeconds(75))).isEqualTo("01:15");
        assertThat(ProgressBar.format(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
    }
}
