package dev.t2v.cli;

import dev.t2v.core.model.Denoiser;
import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.inference.bench.TrainStep;
import dev.t2v.train.AdamW;
import dev.t2v.train.dataset.TrainingBatch;
import dev.t2v.train.DiffusionLoss;
import dev.t2v.train.Ema;
import dev.t2v.train.OptimizerStep;
import dev.t2v.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code t2v bench}'s training step: the trainer's own {@link OptimizerStep} (diffusion loss with the default
 * training recipe, clipping, AdamW, EMA) on one batch, in one micro-batch.
 */
final class TrainerStepTiming implements TrainStep {
    @Override
    public Result time(Denoiser model, INDArray x, INDArray text, INDArray mask, int iterations) {
        TrainingConfig cfg = TrainingConfig.defaults();
        // Caption dropout swaps in this embedding: zeros stand in for the text encoder's empty prompt.
        NullTextEmbedding nullText = new NullTextEmbedding(Nd4j.zeros(DataType.FLOAT, 1, text.size(2)),
                Nd4j.ones(DataType.FLOAT, 1));
        long g0 = System.nanoTime();
        DiffusionLoss loss = new DiffusionLoss(model, cfg.scheduler(), cfg.timestepSampling(), cfg.minSnrGamma(),
                cfg.cfgDropout(), nullText);
        double gradientGraphMs = (System.nanoTime() - g0) / 1e6;
        OptimizerStep step = new OptimizerStep(model, loss, new AdamW(AdamW.Hyper.of(cfg), model.weights()),
                new Ema(cfg.emaDecay(), model.weights()), cfg.gradClip());
        List<TrainingBatch> batch = List.of(new TrainingBatch(x, text, mask,
                java.util.stream.IntStream.range(0, (int) x.size(0)).mapToObj(i -> "bench-" + i).toList()));
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i <= iterations; i++) {
            long s = System.nanoTime();
            step.take(batch, cfg.seed(), i, cfg.learningRate(), i);
            ms.add((System.nanoTime() - s) / 1e6);
        }
        return new Result(gradientGraphMs, ms);
    }
}
