package dev.t2v.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir
    Path run;

    private static MetricsLog.Row row(long step, Double val) {
        return new MetricsLog.Row(step, step / 10.0, 1.0 / step, val, val == null ? null : val * 1.25, 1e-4, 0.5, 12.5, 0);
    }

    @Test
    void rowsRoundTripThroughTheCsv() throws Exception {
        try (MetricsLog log = new MetricsLog(run, -1)) {
            log.append(row(1, null));
            log.append(row(2, 0.75));
        }
        assertThat(Files.readAllLines(run.resolve(MetricsLog.CSV))).first().isEqualTo(MetricsLog.HEADER);
        assertThat(MetricsLog.read(run, Long.MAX_VALUE)).containsExactly(row(1, null), row(2, 0.75));
    }

    @Test
    void aResumedLogDropsRowsAfterTheCheckpointAndALineCutByAKill() throws Exception {
        try (MetricsLog log = new MetricsLog(run, -1)) {
            for (int s = 1; s <= 5; s++) {
                log.append(row(s, s == 3 ? 0.5 : null));
            }
        }
        Files.writeString(run.resolve(MetricsLog.CSV), "6,0.6,0.1", StandardOpenOption.APPEND);
        try (MetricsLog log = new MetricsLog(run, 3)) {
            assertThat(log.rows()).extracting(MetricsLog.Row::step).containsExactly(1L, 2L, 3L);
            log.append(row(4, null));
        }
        assertThat(Files.readAllLines(run.resolve(MetricsLog.CSV))).hasSize(5).last().asString().startsWith("4,");
    }

    @Test
    void theLossPlotIsAPngImage() throws Exception {
        try (MetricsLog log = new MetricsLog(run, -1)) {
            log.plot(); // nothing to draw yet: no file
            assertThat(run.resolve(MetricsLog.PNG)).doesNotExist();
            for (int s = 1; s <= 20; s++) {
                log.append(row(s, s % 5 == 0 ? 2.0 / s : null));
            }
            log.plot();
        }
        BufferedImage img = ImageIO.read(run.resolve(MetricsLog.PNG).toFile());
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(540);
    }

    @Test
    void theLossChartLabelsItsLogAxisBetweenDecades() {
        var styler = MetricsLog.newChart().getStyler();
        assertThat(styler.isYAxisLogarithmic()).isTrue();
        assertThat(styler.isYAxisLogarithmicDecadeOnly()).as("losses in 0.1..1 would be labelled only '1'").isFalse();
    }
}
