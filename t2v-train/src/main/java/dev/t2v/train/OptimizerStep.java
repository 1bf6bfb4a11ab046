package dev.t2v.train;

import dev.t2v.core.model.Denoiser;
import dev.t2v.train.dataset.TrainingBatch;
import java.util.List;

/**
 * One optimiser step exactly as the trainer takes it: the {@link DiffusionLoss} gradients accumulated over the
 * micro-batches, global-norm clipping, then, when loss and norm are finite, an {@link AdamW} update and an
 * {@link Ema} update. {@link Trainer} and {@code t2v bench} both run this, so the bench times the real step.
 */
public final class OptimizerStep {
    private final Denoiser model;
    private final DiffusionLoss loss;
    private final AdamW adam;
    private final Ema ema;
    private final double gradClip;

    /** What one step did. */
    public record Outcome(double loss, double gradientNorm, int samples, boolean applied) {
    }

    /** @param gradClip the global-norm limit, 0 for none */
    public OptimizerStep(Denoiser model, DiffusionLoss loss, AdamW adam, Ema ema, double gradClip) {
        this.model = model;
        this.loss = loss;
        this.adam = adam;
        this.ema = ema;
        this.gradClip = gradClip;
    }

    /**
     * Takes one step.
     *
     * @param step    the 0-based optimiser step (seeds the samples' draws)
     * @param updates the updates applied so far (AdamW's bias correction, EMA's warm-up)
     * @return the step's mean loss, pre-clipping gradient norm and sample count; not applied when either is non-finite
     */
    public Outcome take(List<TrainingBatch> microBatches, long seed, long step, double lr, long updates) {
        DiffusionLoss.StepGradients g = loss.accumulate(microBatches, seed, step);
        double norm = GradientClipping.clip(g.gradients().values(), gradClip);
        boolean finite = Double.isFinite(g.loss()) && Double.isFinite(norm);
        if (finite) {
            adam.step(model.weights(), g.gradients(), lr, updates + 1);
            ema.update(model.weights(), updates);
        }
        return new Outcome(g.loss(), norm, g.samples(), finite);
    }
}
