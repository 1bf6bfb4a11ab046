package dev.t2v.inference.bench;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.Denoiser;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Times training steps of a denoiser. This module cannot see the trainer, so {@code t2v bench} passes in one that runs
 * the trainer's own step ({@code OptimizerStep}: diffusion loss, clipping, AdamW, EMA); the gradient graph is built
 * first and timed apart, and the first step is a warm-up.
 */
public interface TrainStep {
    /** Wall-clock ms to build the gradient graph, and of each step (the first, a warm-up, included). */
    record Result(double gradientGraphMs, List<Double> stepsMs) {
        public Result {
            stepsMs = List.copyOf(stepsMs);
            if (stepsMs.size() < 2) {
                throw new IllegalArgumentException("need a warm-up step and at least one timed step, got " + stepsMs);
            }
        }

        double firstMs() {
            return stepsMs.get(0);
        }

        List<Double> timedMs() {
            return stepsMs.subList(1, stepsMs.size());
        }
    }

    /**
     * Runs {@code 1 + iterations} steps on one batch of clean latents {@code x} with their text (the step draws its
     * own timesteps and noise; {@code t} is unused by a real step); may add its loss to the model's graph, so use it
     * last.
     */
    Result time(Denoiser model, INDArray x, INDArray text, INDArray mask, int iterations);

    /**
     * A rough upper estimate of the memory a training step needs, in bytes: SameDiff keeps every forward
     * activation for the backward pass, plus their gradients, plus weights, gradients and two Adam moments.
     * Calibrated against measured peak RSS (demo batch 8: about 5.5 GB; seed batch 1: about 14 GB).
     */
    static long estimateBytes(DenoiserConfig cfg, int batch, int frames) {
        long n = cfg.tokensPerFrame(), s = (long) batch * frames * n, d = cfg.hiddenSize(), m = cfg.mlpHiddenSize();
        long h = cfg.numHeads(), t = cfg.maxTextTokens();
        long scores = (long) batch * frames * h * n * n + (long) batch * frames * h * n * t;
        long mlps = 1;
        if (cfg.architecture() == DenoiserConfig.Architecture.LATTE && cfg.temporalAttention()) {
            scores += (long) batch * n * h * frames * frames;
        }
        if (cfg.architecture() == DenoiserConfig.Architecture.SEED) {
            mlps = 2;
        }
        long perBlock = 200 * s * d + 20 * mlps * s * m + 5 * scores;
        return 4L * (perBlock * cfg.depth() + 4 * cfg.parameterCount()) + (512L << 20);
    }
}
