package dev.t2v.inference.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class ThroughputTest {
    @Test
    void meterTimesStepsAndVideosFromProgressEventsAndPassesThemOn() {
        AtomicLong now = new AtomicLong();
        List<String> passed = new ArrayList<>();
        ThroughputMeter m = new ThroughputMeter((s, d, t) -> passed.add(s + d), now::get);
        for (int video = 0; video < 2; video++) {
            m.onProgress("encode", 0, 1);
            now.addAndGet(1_000_000_000L);
            m.onProgress("encode", 1, 1);
            m.onProgress("denoise", 0, 4);
            for (int i = 1; i <= 4; i++) {
                now.addAndGet(500_000_000L);
                m.onProgress("denoise", i, 4);
            }
            m.onProgress("decode", 0, 8);
            now.addAndGet(1_000_000_000L);
            m.onProgress("decode", 8, 8);
        }
        Throughput t = m.result();
        assertThat(t.videos()).isEqualTo(2);
        assertThat(t.steps()).isEqualTo(8);
        assertThat(t.frames()).isEqualTo(16);
        assertThat(t.secondsPerStep()).isCloseTo(0.5, offset(1e-9));
        assertThat(t.secondsPerVideo()).isCloseTo(4.0, offset(1e-9));
        assertThat(t.framesPerSecond()).isCloseTo(2.0, offset(1e-9));
        assertThat(passed).hasSize(2 * 9).startsWith("encode0", "encode1", "denoise0");
        assertThat(t.format()).startsWith("0.500 s/step, 4.00 s/video, 2.00 frames/s");
    }

    @Test
    void peakRssIsReadFromVmHwm() {
        assertThat(PeakRss.parse("Name:\tjava\nVmPeak:\t 9 kB\nVmHWM:\t  812344 kB\nVmRSS: 1 kB\n"))
                .hasValue(812344L * 1024);
        assertThat(PeakRss.parse("Name:\tjava\n")).isEmpty();
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/status"))) {
            assertThat(PeakRss.bytes().orElseThrow()).isGreaterThan(1 << 20);
        }
    }
}
