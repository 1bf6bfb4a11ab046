package dev.t2v.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.data.manifest.LatentStats;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latents scaled by another codec's factor (std 0.023 instead of 1) are refused before training, with the figure. */
class TrainingDataScaleTest {
    @TempDir
    Path tmp;

    @Test
    void latentsWithStdFarFromOneAreAProblemNamingTheFigure() {
        String p = TrainingData.scaleProblem(new LatentStats(0.001, 0.023, 72), 0.18215);
        assertThat(p).contains("std is 0.02300", "over 72 clips", "scaling factor 0.18215", "codec.json");
        assertThat(TrainingData.scaleProblem(new LatentStats(0, 25, 72), 1)).contains("std is 25.00");
        assertThat(TrainingData.scaleProblem(new LatentStats(0.1, 0.9, 72), 1)).isNull();
        assertThat(TrainingData.scaleProblem(null, 1)).isNull(); // nothing measured
    }

    @Test
    void latentStatsMeasureTheTrainingClips() throws Exception {
        Path preprocessed = TinyDataset.create(tmp, 6);
        try (TrainingData data = TrainingData.open(preprocessed, "train", "validate")) {
            LatentStats all = data.latentStats(1000);
            assertThat(all.clips()).isEqualTo(data.train().size()).isPositive();
            assertThat(all.std()).isPositive().isFinite();
            assertThat(data.latentStats(1).clips()).isEqualTo(1);
        }
    }
}
