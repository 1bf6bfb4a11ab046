package dev.t2v.inference.bench;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.Denoiser;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.adapter.SingletonMultiDataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Times SameDiff training steps the way the trainer takes them: the denoiser's graph plus an MSE loss against a
 * {@code target} placeholder, Adam, one {@code fit} over an iterator (one training session, as {@code t2v train}
 * does). The gradient graph is built first and timed apart; the first step is a warm-up.
 */
final class TrainStep {
    /** Wall-clock ms to build the gradient graph, and of each step (the first, a warm-up, included). */
    record Result(double gradientGraphMs, List<Double> stepsMs) {
        double firstMs() {
            return stepsMs.get(0);
        }

        List<Double> timedMs() {
            return stepsMs.subList(1, stepsMs.size());
        }
    }

    private TrainStep() {
    }

    /** Runs {@code 1 + iterations} steps on one batch; adds the loss to the model's graph (so use it last). */
    static Result time(Denoiser m, INDArray x, INDArray t, INDArray text, INDArray mask, int iterations) {
        DenoiserConfig cfg = m.config();
        SameDiff sd = m.sameDiff();
        int s = cfg.latentSize();
        SDVariable target = sd.placeHolder("target", m.dataType(), -1, -1, cfg.latentChannels(), s, s);
        SDVariable diff = sd.getVariable("out").sub(target);
        diff.mul(diff).mean().rename("loss");
        sd.setLossVariables("loss");
        sd.setTrainingConfig(TrainingConfig.builder()
                .updater(new Adam(1e-4))
                .dataSetFeatureMapping("x", "t", "text", "text_mask")
                .dataSetLabelMapping("target")
                .build());
        long g0 = System.nanoTime();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // M2.1 prints a line per differentiated op
        try {
            sd.createGradFunction();
        } finally {
            System.setOut(stdout);
        }
        double gradientGraphMs = (System.nanoTime() - g0) / 1e6;
        StepTimer timer = new StepTimer();
        MultiDataSet data = new MultiDataSet(new INDArray[] {x, t, text, mask}, new INDArray[] {x.dup()});
        sd.fit(new SingletonMultiDataSetIterator(data), 1 + iterations, timer);
        return new Result(gradientGraphMs, List.copyOf(timer.millis));
    }

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

    private static final class StepTimer extends BaseListener {
        final List<Double> millis = new ArrayList<>();
        private long start;

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void iterationStart(SameDiff sd, At at, org.nd4j.linalg.dataset.api.MultiDataSet data, long etlMs) {
            start = System.nanoTime();
        }

        @Override
        public void iterationDone(SameDiff sd, At at, org.nd4j.linalg.dataset.api.MultiDataSet dataSet, Loss loss) {
            millis.add((System.nanoTime() - start) / 1e6);
        }
    }
}
