package dev.t2v.train;

import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.TimestepSampling;
import dev.t2v.core.model.Denoiser;
import dev.t2v.train.dataset.TrainingBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DiffusionLossTest {
    private static final long SEED = 5;
    private final RandomBatchSource data = TrainFixtures.data(8, 3);
    private final DenoiserConfig tiny = DenoiserConfig.preset("tiny");

    private static Map<String, INDArray> copy(Map<String, INDArray> g) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        g.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    private static double relativeDifference(Map<String, INDArray> a, Map<String, INDArray> b) {
        double diff = 0;
        double norm = 0;
        for (String k : a.keySet()) {
            double d = a.get(k).sub(b.get(k)).norm2Number().doubleValue();
            double n = a.get(k).norm2Number().doubleValue();
            diff += d * d;
            norm += n * n;
        }
        return Math.sqrt(diff / norm);
    }

    @Test
    void fourAccumulatedMicroBatchesOfOneGiveTheGradientOfOneBatchOfFour() {
        try (Denoiser m = Denoiser.create(tiny, 7)) {
            // Caption dropout and min-SNR weighting on, so per-sample draws and weights are exercised too.
            DiffusionLoss loss = new DiffusionLoss(m, SchedulerConfig.seed(), TimestepSampling.UNIFORM, 5.0, 0.5, data.nullText());
            TrainingBatch four = data.batch(SEED, 0, 0, 4, TrainFixtures.TOKENS);
            List<TrainingBatch> ones = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                ones.add(data.batch(SEED, 0, p, 1, TrainFixtures.TOKENS));
            }
            DiffusionLoss.StepGradients big = loss.accumulate(List.of(four), SEED, 3);
            Map<String, INDArray> g4 = copy(big.gradients());
            double loss4 = big.loss();
            DiffusionLoss.StepGradients small = loss.accumulate(ones, SEED, 3);

            assertThat(small.samples()).isEqualTo(4);
            assertThat(small.loss()).isCloseTo(loss4, within(1e-6 * loss4));
            assertThat(relativeDifference(g4, small.gradients())).isLessThan(1e-5);
            for (String name : g4.keySet()) {
                double n = g4.get(name).norm2Number().doubleValue();
                if (n > 1e-4) {
                    assertThat(g4.get(name).sub(small.gradients().get(name)).norm2Number().doubleValue() / n)
                            .as(name).isLessThan(1e-4);
                }
            }
            // Control: another step draws other timesteps and noise, so the comparison above could fail.
            Map<String, INDArray> other = copy(loss.accumulate(ones, SEED, 4).gradients());
            assertThat(relativeDifference(g4, other)).isGreaterThan(1e-2);
        }
    }

    @Test
    void theSameSeedStepAndSampleGiveTheSameInputs() {
        try (Denoiser m = Denoiser.create(tiny, 7)) {
            DiffusionLoss loss = new DiffusionLoss(m, SchedulerConfig.seed(), TimestepSampling.UNIFORM, 0, 0.5, data.nullText());
            TrainingBatch b = data.batch(SEED, 0, 0, 3, TrainFixtures.TOKENS);
            Map<String, INDArray> a = loss.prepare(b, rngs(1, 2, 3), true, 3);
            Map<String, INDArray> c = loss.prepare(b, rngs(1, 2, 3), true, 3);
            Map<String, INDArray> d = loss.prepare(b, rngs(1, 2, 4), true, 3);
            a.forEach((k, v) -> assertThat(c.get(k)).as(k).isEqualTo(v));
            assertThat(d.get("x").slice(2)).isNotEqualTo(a.get("x").slice(2));
            assertThat(d.get("x").slice(0)).isEqualTo(a.get("x").slice(0));
        }
    }

    private static SplittableRandom[] rngs(long... sample) {
        SplittableRandom[] r = new SplittableRandom[sample.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = TrainingRandom.forSample(SEED, 9, (int) sample[i]);
        }
        return r;
    }

    @Test
    void captionDropoutReplacesCaptionsWithTheNullEmbeddingAtItsRate() {
        try (Denoiser m = Denoiser.create(tiny, 7)) {
            TrainingBatch b = data.batch(SEED, 0, 0, 4, TrainFixtures.TOKENS);
            NullTextEmbedding empty = data.nullText().padded(TrainFixtures.TOKENS);

            DiffusionLoss always = new DiffusionLoss(m, SchedulerConfig.seed(), TimestepSampling.UNIFORM, 0, 1.0, data.nullText());
            Map<String, INDArray> feed = always.prepare(b, rngs(0, 1, 2, 3), true, 4);
            for (int i = 0; i < 4; i++) {
                assertThat(feed.get("text").slice(i)).isEqualTo(empty.embedding());
                assertThat(feed.get("text_mask").slice(i)).isEqualTo(empty.mask());
            }
            // Validation never drops captions.
            Map<String, INDArray> val = always.prepare(b, rngs(0, 1, 2, 3), false, 4);
            assertThat(val.get("text")).isEqualTo(b.text());
        }
        try (Denoiser m = Denoiser.create(tiny, 7)) {
            DiffusionLoss tenth = new DiffusionLoss(m, SchedulerConfig.seed(), TimestepSampling.UNIFORM, 0, 0.1, data.nullText());
            TrainingBatch one = data.batch(SEED, 0, 0, 1, TrainFixtures.TOKENS);
            int dropped = 0;
            int n = 2000;
            for (int s = 0; s < n; s++) {
                Map<String, INDArray> feed = tenth.prepare(one, new SplittableRandom[] {TrainingRandom.forSample(1, s, 0)},
                        true, 1);
                if (!feed.get("text").equals(one.text())) {
                    dropped++;
                }
            }
            assertThat(dropped / (double) n).isCloseTo(0.1, within(0.025));
        }
    }

    @Test
    void validationLossIsReproducibleAndDependsOnlyOnTheValidationSeed() {
        try (Denoiser m = Denoiser.create(tiny, 7)) {
            DiffusionLoss loss = new DiffusionLoss(m, SchedulerConfig.seed(), TimestepSampling.UNIFORM, 0, 0.1, data.nullText());
            List<TrainingBatch> val = List.of(data.batch(1, 0, 0, 2, TrainFixtures.TOKENS), data.batch(1, 0, 1, 2, TrainFixtures.TOKENS));
            double a = loss.validationLoss(val, 77);
            loss.accumulate(List.of(data.batch(SEED, 0, 0, 2, TrainFixtures.TOKENS)), SEED, 0); // no effect on it
            assertThat(loss.validationLoss(val, 77)).isEqualTo(a);
            assertThat(loss.validationLoss(val, 78)).isNotEqualTo(a);
        }
    }
}
