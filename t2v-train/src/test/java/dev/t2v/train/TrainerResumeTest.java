package dev.t2v.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.core.bundle.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stop and resume reproduces the uninterrupted run bit for bit. */
class TrainerResumeTest {
    @TempDir
    Path tmp;

    // 10 clips in batches of 2 = 5 micro-batches an epoch; accumulating 2 gives steps of 2, 2 and 1 micro-batches.
    private static TrainingConfig config(int maxSteps) {
        return TrainFixtures.config("max_steps", String.valueOf(maxSteps), "accumulation", "2", "cfg_dropout", "0.3",
                "warmup_steps", "2", "min_snr_gamma", "5.0", "keep", "10", "val_every", "3");
    }

    private TrainingResult train(Path run, int maxSteps, boolean resume) throws IOException {
        return new Trainer(config(maxSteps), TrainFixtures.data(10, 4), TrainFixtures.data(4, 5), TrainFixtures.refs(),
                run, TrainFixtures.quiet()).run(resume);
    }

    @Test
    void stoppingAndResumingMidEpochGivesTheSameWeightsMomentsAndEmaAsOneRun() throws IOException {
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        TrainingResult whole = train(straight, 8, false);
        TrainingResult first = train(split, 4, false);
        TrainingResult second = train(split, 8, true);

        assertThat(whole.steps()).isEqualTo(8);
        assertThat(first.steps()).isEqualTo(4);
        assertThat(second.steps()).isEqualTo(8);
        assertThat(second.stepsThisRun()).isEqualTo(4);
        Path a = straight.resolve(Checkpoints.DIR).resolve(Checkpoints.name(8));
        Path b = split.resolve(Checkpoints.DIR).resolve(Checkpoints.name(8));
        for (String f : List.of(Checkpoints.WEIGHTS, Checkpoints.OPTIMIZER, ModelBundle.DENOISER_FILE,
                ModelBundle.NULL_TEXT_FILE)) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
        }
        assertThat(Files.readAllBytes(split.resolve("model").resolve(ModelBundle.DENOISER_FILE)))
                .isEqualTo(Files.readAllBytes(straight.resolve("model").resolve(ModelBundle.DENOISER_FILE)));
        // metrics.csv reads as one run: same steps, losses, rates and norms (throughput aside). The stopped run also
        // validated at its last step (4), a checkpoint; validation losses at the steps both have are equal.
        assertThat(lossColumns(split)).isEqualTo(lossColumns(straight));
        List<MetricsLog.Row> rowsA = MetricsLog.read(straight, 8);
        List<MetricsLog.Row> rowsB = MetricsLog.read(split, 8);
        for (int i = 0; i < rowsA.size(); i++) {
            if (rowsA.get(i).valLoss() != null) {
                assertThat(rowsB.get(i).valLoss()).isEqualTo(rowsA.get(i).valLoss());
                assertThat(rowsB.get(i).valLossEma()).isEqualTo(rowsA.get(i).valLossEma());
            }
        }
        assertThat(second.finalLoss()).isEqualTo(whole.finalLoss());
        // Control: the first half alone differs from the whole run.
        assertThat(Files.readAllBytes(split.resolve(Checkpoints.DIR).resolve(Checkpoints.name(4))
                .resolve(Checkpoints.WEIGHTS))).isNotEqualTo(Files.readAllBytes(a.resolve(Checkpoints.WEIGHTS)));
    }

    @Test
    void aRunStoppedEarlyAndResumedFollowsTheWholeRunsCosineSchedule() throws IOException {
        TrainingConfig cosine = TrainFixtures.config("max_steps", "8", "accumulation", "2", "warmup_steps", "2",
                "lr_schedule", "\"cosine\"", "keep", "10");
        Path straight = tmp.resolve("straight");
        Path sliced = tmp.resolve("sliced");
        new Trainer(cosine, TrainFixtures.data(10, 4), TrainFixtures.data(4, 5), TrainFixtures.refs(), straight,
                TrainFixtures.quiet()).run(false);
        TrainingResult first = new Trainer(cosine, TrainFixtures.data(10, 4), TrainFixtures.data(4, 5),
                TrainFixtures.refs(), sliced, TrainFixtures.quiet()).run(false, 3);
        assertThat(first.steps()).isEqualTo(3);
        assertThat(sliced.resolve("model")).doesNotExist();
        new Trainer(cosine, TrainFixtures.data(10, 4), TrainFixtures.data(4, 5), TrainFixtures.refs(), sliced,
                TrainFixtures.quiet()).run(true);
        assertThat(Files.readAllBytes(sliced.resolve("model").resolve(ModelBundle.DENOISER_FILE)))
                .isEqualTo(Files.readAllBytes(straight.resolve("model").resolve(ModelBundle.DENOISER_FILE)));
    }

    private static List<String> lossColumns(Path run) throws IOException {
        return Files.readAllLines(run.resolve(MetricsLog.CSV)).stream().map(l -> {
            String[] f = l.split(",", -1);
            return String.join(",", f[0], f[1], f[2], f[5], f[6], f[8]);
        }).toList();
    }

    @Test
    void aHalfWrittenCheckpointIsIgnoredWithAWarningAndTheRunResumesFromTheLastCompleteOne() throws IOException {
        Path run = tmp.resolve("run");
        train(run, 3, false);
        Path ckpts = run.resolve(Checkpoints.DIR);
        // A killed writer leaves a temp directory; a damaged checkpoint lacks "complete".
        Files.createDirectories(ckpts.resolve(".tmp-" + Checkpoints.name(4)));
        Path damaged = Files.createDirectories(ckpts.resolve(Checkpoints.name(9)));
        Files.writeString(damaged.resolve(Checkpoints.STATE), "{\"step\": 9");
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        Checkpoints c = new Checkpoints(run, new java.io.PrintStream(log, true));
        assertThat(c.latest()).get().extracting(Checkpoints.Checkpoint::dir).isEqualTo(ckpts.resolve(Checkpoints.name(3)));
        assertThat(log.toString()).contains("ignoring incomplete checkpoint").contains(Checkpoints.name(9));
        c.removeTemps();
        assertThat(ckpts.resolve(".tmp-" + Checkpoints.name(4))).doesNotExist();
    }

    @Test
    void aRunDirectoryWithCheckpointsIsNotOverwrittenWithoutResume() throws IOException {
        Path run = tmp.resolve("run");
        train(run, 1, false);
        assertThatThrownBy(() -> train(run, 2, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has checkpoints");
    }

    @Test
    void resumingWithAChangedLearningRateIsRefusedNamingTheKey() throws IOException {
        Path run = tmp.resolve("run");
        train(run, 1, false);
        TrainingConfig other = TrainFixtures.config("max_steps", "2", "accumulation", "2", "learning_rate", "0.5");
        assertThatThrownBy(() -> new Trainer(other, TrainFixtures.data(10, 4), null, TrainFixtures.refs(), run,
                TrainFixtures.quiet()).run(true)).hasMessageContaining("learning_rate");
    }
}
