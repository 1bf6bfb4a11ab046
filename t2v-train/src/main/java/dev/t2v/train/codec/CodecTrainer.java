package dev.t2v.train.codec;

import dev.t2v.core.model.QuietGradients;
import dev.t2v.core.util.ProgressBar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Trains a {@link CodecModel} on random crops of a {@link FrameBank} (see {@link CodecTrainingConfig} for the loss).
 *
 * <p>Every random draw (crop frame and position, latent noise) comes from a {@link SplittableRandom} seeded by the
 * config, so a run is reproducible. A non-finite loss stops training with an exception naming the step.
 */
public final class CodecTrainer {
    static final String MSE = "mse";
    static final String PENALTY = "latent_penalty";
    /** Smoothing of the loss shown on the progress bar (an exponential moving average over about 50 steps). */
    private static final double DISPLAY_SMOOTHING = 0.02;

    private CodecTrainer() {}

    /**
     * What a run did.
     *
     * @param steps steps taken
     * @param mseHistory the reconstruction MSE (values in [-1, 1]) of each step's batch
     * @param penaltyHistory the weighted latent penalty of each step's batch
     * @param wallSeconds time spent, including building the gradient graph
     */
    public record Result(int steps, float[] mseHistory, float[] penaltyHistory, double wallSeconds) {
        public Result {
            if (mseHistory.length != steps || penaltyHistory.length != steps) {
                throw new IllegalArgumentException("histories must have one entry per step (" + steps + ")");
            }
            mseHistory = mseHistory.clone();
            penaltyHistory = penaltyHistory.clone();
        }

        /** The mean reconstruction MSE over the last {@code n} steps (fewer if the run was shorter). */
        public double meanMse(int n) {
            int from = Math.max(0, steps - n);
            double s = 0;
            for (int i = from; i < steps; i++) {
                s += mseHistory[i];
            }
            return s / Math.max(1, steps - from);
        }
    }

    /** Trains {@code model} in place. */
    public static Result train(CodecModel model, FrameBank frames, CodecTrainingConfig cfg, ProgressBar bar) {
        CodecArchitecture arch = model.architecture();
        int d = arch.downsample();
        if (cfg.crop() % d != 0) {
            throw new IllegalArgumentException("crop " + cfg.crop() + " must be a multiple of the codec's downsampling "
                    + "factor " + d);
        }
        if (cfg.crop() > frames.size()) {
            throw new IllegalArgumentException("crop " + cfg.crop() + " is larger than the " + frames.size()
                    + "-pixel frames");
        }
        long start = System.nanoTime();
        SameDiff sd = model.trainingGraph(cfg.batch(), cfg.crop());
        List<String> losses = addLosses(sd, cfg);
        List<String> params = model.parameterNames();
        QuietGradients.create(sd);
        // A hand-driven loop over calculateGradientsAndOutputs: SameDiff M2.1's fit() was slower per step here and
        // reported zero losses (the loss ops are not on the gradient's path, so it never runs them).
        Adam adam = new Adam(new Schedule(cfg));
        Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();
        for (String p : params) {
            INDArray arr = sd.getVariable(p).getArr();
            Map<String, INDArray> state = new LinkedHashMap<>();
            state.put(AdamUpdater.M_STATE, Nd4j.zeros(arr.dataType(), arr.shape()));
            state.put(AdamUpdater.V_STATE, Nd4j.zeros(arr.dataType(), arr.shape()));
            updaters.put(p, adam.instantiate(state, false));
        }
        Batches batches = new Batches(frames, cfg, arch);
        float[] mse = new float[cfg.steps()];
        float[] penalty = new float[cfg.steps()];
        double smoothed = Double.NaN;
        for (int step = 0; step < cfg.steps(); step++) {
            OutAndGrad og = sd.calculateGradientsAndOutputs(batches.next(), losses, params);
            double m = og.getOutputs().get(MSE).getDouble(0);
            double p = losses.size() > 1 ? og.getOutputs().get(PENALTY).getDouble(0) : 0;
            if (!Double.isFinite(m) || !Double.isFinite(p)) {
                throw new IllegalStateException("codec training diverged at step " + (step + 1) + ": mse " + m
                        + ", latent penalty " + p + " (try a lower learning rate)");
            }
            for (String name : params) {
                INDArray g = og.getGradients().get(name);
                updaters.get(name).applyUpdater(g, step, 0); // g becomes the update
                sd.getVariable(name).getArr().subi(g);
            }
            mse[step] = (float) m;
            penalty[step] = (float) p;
            smoothed = Double.isNaN(smoothed) ? m : smoothed + DISPLAY_SMOOTHING * (m - smoothed);
            bar.extra(String.format(Locale.ROOT, "mse %.5f psnr %.2f dB pen %.2e lr %.1e", smoothed,
                    Psnr.fromMse(smoothed), p, cfg.learningRateAt(step)));
            bar.stepTo(step + 1);
            // SameDiff M2.1 allocates each step's activations and gradients afresh (off the Java heap) and frees them
            // only when the GC collects their small Java handles, which a mostly empty heap rarely does: without this,
            // resident memory grew by about 1.4 GB per step until the machine ran out.
            System.gc();
        }
        return new Result(cfg.steps(), mse, penalty, (System.nanoTime() - start) / 1e9);
    }

    private static List<String> addLosses(SameDiff sd, CodecTrainingConfig cfg) {
        SDVariable err = sd.getVariable(CodecModel.RECON).sub(sd.getVariable(CodecModel.FRAMES));
        sd.mean(MSE, sd.math.square(err));
        List<String> losses = new ArrayList<>(List.of(MSE));
        if (cfg.latentPenalty() > 0) {
            sd.mean(sd.math.square(sd.getVariable(CodecModel.LATENT))).mul(PENALTY, cfg.latentPenalty());
            losses.add(PENALTY);
        }
        sd.setLossVariables(losses.toArray(String[]::new));
        return losses;
    }

    /** The config's warm-up + cosine learning rate, by iteration. */
    private record Schedule(CodecTrainingConfig cfg) implements ISchedule {
        @Override
        public double valueAt(int iteration, int epoch) {
            return cfg.learningRateAt(iteration);
        }

        @Override
        public ISchedule clone() {
            return new Schedule(cfg);
        }
    }

    /** Batches of random crops and latent noise, drawn from the seeded generators. */
    static final class Batches {
        private final FrameBank frames;
        private final CodecTrainingConfig cfg;
        private final int latentChannels;
        private final int latentSize;
        private final SplittableRandom crops;
        private final SplittableRandom noise;

        Batches(FrameBank frames, CodecTrainingConfig cfg, CodecArchitecture arch) {
            this.frames = frames;
            this.cfg = cfg;
            this.latentChannels = arch.latentChannels();
            this.latentSize = cfg.crop() / arch.downsample();
            SplittableRandom root = new SplittableRandom(cfg.seed());
            root.split(); // the initial weights' stream: CodecTrainingConfig.initSeed()
            this.crops = root.split();
            this.noise = root.split();
        }

        /** The next batch as placeholder values. */
        Map<String, INDArray> next() {
            int b = cfg.batch();
            int c = cfg.crop();
            int per = 3 * c * c;
            float[] x = new float[b * per];
            for (int i = 0; i < b; i++) {
                int f = crops.nextInt(frames.count());
                int y0 = crops.nextInt(frames.size() - c + 1);
                int x0 = crops.nextInt(frames.size() - c + 1);
                frames.crop(f, y0, x0, c, x, i * per);
            }
            float[] eps = new float[b * latentChannels * latentSize * latentSize];
            if (cfg.latentNoise() > 0) {
                for (int i = 0; i < eps.length; i++) {
                    eps[i] = (float) (noise.nextGaussian() * cfg.latentNoise());
                }
            }
            return Map.of(CodecModel.FRAMES, Nd4j.create(x, new long[] {b, 3, c, c}, DataType.FLOAT),
                    CodecModel.LATENT_NOISE, Nd4j.create(eps, new long[] {b, latentChannels, latentSize, latentSize},
                            DataType.FLOAT));
        }
    }
}
