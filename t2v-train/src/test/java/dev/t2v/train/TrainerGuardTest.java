package dev.t2v.train;

import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.core.io.Safetensors;
import dev.t2v.train.dataset.TrainingBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Non-finite steps are skipped without touching the weights; a run of them stops training. */
class TrainerGuardTest {
    @TempDir
    Path run;

    /** The random data with NaN latents in the given (epoch 0) batches. */
    private static BatchSource poisoned(BatchSource data, Set<Integer> nanPositions) {
        return new BatchSource() {
            @Override
            public int size() {
                return data.size();
            }

            @Override
            public int batchesPerEpoch(int batchSize) {
                return data.batchesPerEpoch(batchSize);
            }

            @Override
            public TrainingBatch batch(long seed, long epoch, int position, int batchSize, int textTokens) {
                TrainingBatch b = data.batch(seed, epoch, position, batchSize, textTokens);
                if (epoch == 0 && nanPositions.contains(position)) {
                    b.latents().putScalar(new long[] {0, 0, 0, 1, 1}, Float.NaN);
                }
                return b;
            }

            @Override
            public int frames() {
                return data.frames();
            }

            @Override
            public int latentChannels() {
                return data.latentChannels();
            }

            @Override
            public int latentSize() {
                return data.latentSize();
            }

            @Override
            public int textDim() {
                return data.textDim();
            }

            @Override
            public int maxTextTokens() {
                return data.maxTextTokens();
            }

            @Override
            public NullTextEmbedding nullText() {
                return data.nullText();
            }

            @Override
            public String fingerprint() {
                return data.fingerprint();
            }
        };
    }

    private static byte[] file(Path run, int step, String name) throws IOException {
        return Files.readAllBytes(run.resolve(Checkpoints.DIR).resolve(Checkpoints.name(step)).resolve(name));
    }

    @Test
    void aNanBatchIsSkippedAndLeavesWeightsMomentsAndEmaUnchanged() throws IOException {
        TrainingConfig cfg = TrainFixtures.config("max_steps", "3", "save_every", "1", "keep", "5");
        TrainingResult r = new Trainer(cfg, poisoned(TrainFixtures.data(16, 1), Set.of(1)), null,
                TrainFixtures.refs(), run, TrainFixtures.quiet()).run(false);

        assertThat(r.skipped()).isEqualTo(1);
        for (String f : List.of(Checkpoints.WEIGHTS, Checkpoints.OPTIMIZER, ModelBundle.DENOISER_FILE)) {
            assertThat(file(run, 2, f)).as(f + " after the NaN step").isEqualTo(file(run, 1, f));
            assertThat(file(run, 3, f)).as(f + " after the next step").isNotEqualTo(file(run, 2, f));
        }
        TrainerState s = TrainerState.read(run.resolve(Checkpoints.DIR).resolve(Checkpoints.name(2))
                .resolve(Checkpoints.STATE));
        assertThat(s.skipped()).isEqualTo(1);
        assertThat(s.updates()).isEqualTo(1);
        assertThat(Files.readAllLines(run.resolve(MetricsLog.CSV)).get(2)).startsWith("2,").contains("NaN");
    }

    @Test
    void consecutiveNonFiniteStepsStopTrainingWithAClearErrorAndWriteNoCheckpoint() throws IOException {
        TrainingConfig cfg = TrainFixtures.config("max_steps", "10", "max_non_finite", "3");
        Trainer t = new Trainer(cfg, poisoned(TrainFixtures.data(16, 1), Set.of(0, 1, 2, 3, 4, 5, 6, 7)), null,
                TrainFixtures.refs(), run, TrainFixtures.quiet());
        assertThatThrownBy(() -> t.run(false)).isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("3 steps in a row").hasMessageContaining("Lower the learning rate");
        assertThat(new Checkpoints(run, TrainFixtures.quiet()).list()).isEmpty();
        assertThat(t.modelDirectory()).doesNotExist();
    }

    @Test
    void checkpointsKeepTheNewestAndTheBestByValidationLoss() throws IOException {
        TrainingConfig cfg = TrainFixtures.config("max_steps", "6", "save_every", "1", "keep", "2");
        new Trainer(cfg, TrainFixtures.data(16, 1), TrainFixtures.data(4, 2), TrainFixtures.refs(), run,
                TrainFixtures.quiet()).run(false);
        List<Checkpoints.Checkpoint> all = new Checkpoints(run, TrainFixtures.quiet()).list();
        List<Long> steps = all.stream().map(c -> c.state().step()).toList();
        assertThat(steps).contains(5L, 6L).hasSizeBetween(2, 3);
        Checkpoints.Checkpoint best = Checkpoints.best(all).orElseThrow();
        // The best of all six was kept, whichever it was: none deleted had a lower validation loss.
        List<MetricsLog.Row> rows = MetricsLog.read(run, 6);
        double lowest = rows.stream().filter(r -> r.step() > 0 && r.valLossEma() != null).mapToDouble(MetricsLog.Row::valLossEma).min()
                .orElseThrow();
        assertThat(best.state().rankingLoss()).isEqualTo(lowest, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(run.resolve(MetricsLog.PNG)).isNotEmptyFile();
        assertThat(Safetensors.read(run.resolve("model").resolve(ModelBundle.DENOISER_FILE)))
                .isEqualTo(Safetensors.read(all.get(all.size() - 1).dir().resolve(ModelBundle.DENOISER_FILE)));
    }
}
