package dev.t2v.train;

import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.TimestepSampling;
import dev.t2v.core.diffusion.TrainingTargets;
import dev.t2v.core.model.Denoiser;
import dev.t2v.core.model.QuietGradients;
import dev.t2v.train.dataset.TrainingBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The denoising objective and its gradients: what one optimiser step's gradient is.
 *
 * <p>It adds placeholders {@code target} {@code [B,F,C,h,w]} and {@code loss_weight} {@code [B]} to the denoiser's
 * graph, the per-sample error {@code mse_per_sample = mean((out − target)²)} over all but the batch axis, and the loss
 * {@code loss = Σ loss_weight · mse_per_sample}. For a step of N samples spread over micro-batches, sample i's weight
 * is {@code w_i / N} (w_i = 1, or its min-SNR-γ weight), so the accumulated gradient is the gradient of the mean over
 * all N samples whatever the split into micro-batches.
 *
 * <p>Each sample is prepared from its own generator ({@link TrainingRandom}): a timestep from the run's
 * {@link TimestepSampling}, Gaussian noise, x_t from the scheduler's forward process, the target for the prediction type, and with
 * probability {@code cfgDropout} its caption replaced by the null (empty-prompt) embedding.
 */
public final class DiffusionLoss {
    public static final String TARGET = "target";
    public static final String LOSS_WEIGHT = "loss_weight";
    public static final String PER_SAMPLE = "mse_per_sample";
    public static final String LOSS = "loss";
    /** The name SameDiff gives its backward graph among the graph's functions. */
    private static final String GRADIENT_FUNCTION = "grad";

    /** The accumulated gradients of one optimiser step and its mean (unweighted) loss. */
    public record StepGradients(Map<String, INDArray> gradients, double loss, int samples) {
    }

    private final Denoiser model;
    private final SameDiff sd;
    private final List<String> params;
    private final TrainingTargets targets;
    private final double minSnrGamma;
    private final double cfgDropout;
    private final NullTextEmbedding nullText;
    private final Map<String, INDArray> accumulated = new LinkedHashMap<>();
    /** Parameter name to the name of its gradient variable in the backward graph. */
    private final Map<String, String> gradientNames = new LinkedHashMap<>();
    private final SameDiff gradFn;
    private final String[] outputNames;

    /**
     * Adds the loss to {@code model}'s graph (once per model).
     *
     * @param sampling how training steps draw their timesteps (validation always draws uniformly, so that runs
     *                 with different samplings stay comparable)
     * @param nullText the empty prompt's embedding, for caption dropout
     */
    public DiffusionLoss(Denoiser model, SchedulerConfig scheduler, TimestepSampling sampling, double minSnrGamma,
            double cfgDropout, NullTextEmbedding nullText) {
        this.model = model;
        this.sd = model.sameDiff();
        this.params = model.parameterNames();
        this.targets = new TrainingTargets(scheduler, sampling);
        this.minSnrGamma = minSnrGamma;
        this.cfgDropout = cfgDropout;
        this.nullText = nullText;
        if (sd.hasVariable(LOSS)) {
            throw new IllegalStateException("the denoiser's graph already has a '" + LOSS + "' variable");
        }
        DenoiserConfig c = model.config();
        int s = c.latentSize();
        SDVariable target = sd.placeHolder(TARGET, model.dataType(), -1, -1, c.latentChannels(), s, s);
        SDVariable weight = sd.placeHolder(LOSS_WEIGHT, model.dataType(), -1);
        SDVariable diff = sd.getVariable("out").sub(target);
        SDVariable perSample = diff.mul(diff).mean(PER_SAMPLE, 1, 2, 3, 4); // [B,F,C,h,w] -> [B]
        perSample.mul(weight).sum().rename(LOSS);
        sd.setLossVariables(LOSS);
        QuietGradients.create(sd);
        // Run the backward graph directly rather than through calculateGradients: that switches the graph's array
        // cache off on every call, so each step allocates every activation anew and leaves it to the garbage
        // collector (measured on demo, batch 8: 2.4x slower and 3 GB more RSS than with the cache).
        this.gradFn = sd.getFunction(GRADIENT_FUNCTION);
        gradFn.setEnableCache(true);
        List<String> outs = new ArrayList<>(List.of(PER_SAMPLE));
        for (String p : params) {
            SDVariable g = sd.getVariable(p).getGradient();
            if (g != null) {
                gradientNames.put(p, g.name());
                outs.add(g.name());
            }
        }
        this.outputNames = outs.toArray(String[]::new);
        model.weights().forEach((name, w) -> accumulated.put(name, Nd4j.zeros(w.dataType(), w.shape())));
    }

    public TrainingTargets targets() {
        return targets;
    }

    /**
     * Runs forward and backward over the step's micro-batches and sums their gradients.
     *
     * @param seed the run's seed
     * @param step the 0-based optimiser step (with the sample index, it seeds each sample's draws)
     * @return gradients (buffers owned by this object, overwritten by the next call) and the step's mean loss, NaN or
     *     ∞ when any sample's is
     */
    public StepGradients accumulate(List<TrainingBatch> microBatches, long seed, long step) {
        int total = microBatches.stream().mapToInt(TrainingBatch::size).sum();
        int offset = 0;
        double lossSum = 0;
        for (int k = 0; k < microBatches.size(); k++) {
            TrainingBatch b = microBatches.get(k);
            SplittableRandom[] rngs = new SplittableRandom[b.size()];
            for (int i = 0; i < rngs.length; i++) {
                rngs[i] = TrainingRandom.forSample(seed, step, offset + i);
            }
            Map<String, INDArray> feed = prepare(b, rngs, true, total);
            // The returned arrays go back to the graph's array cache: read them before the next run.
            Map<String, INDArray> r = gradFn.output(feed, outputNames);
            release(feed, b);
            lossSum += r.get(PER_SAMPLE).sumNumber().doubleValue();
            for (Map.Entry<String, INDArray> e : accumulated.entrySet()) {
                String gradName = gradientNames.get(e.getKey());
                INDArray g = gradName == null ? null : r.get(gradName);
                if (g == null) {
                    // A parameter the loss does not reach (e.g. a switched-off branch) has gradient zero.
                    if (k == 0) {
                        e.getValue().assign(0);
                    }
                } else if (k == 0) {
                    e.getValue().assign(g);
                } else {
                    e.getValue().addi(g);
                }
            }
            offset += b.size();
        }
        return new StepGradients(accumulated, lossSum / total, total);
    }

    /**
     * The mean loss over {@code batches} at fixed timesteps and noise: batch j's samples draw from
     * {@link TrainingRandom#forValidation}{@code (valSeed, j)}, split once per sample; no caption dropout.
     */
    public double validationLoss(List<TrainingBatch> batches, long valSeed) {
        double sum = 0;
        int n = 0;
        for (int j = 0; j < batches.size(); j++) {
            TrainingBatch b = batches.get(j);
            SplittableRandom base = TrainingRandom.forValidation(valSeed, j);
            SplittableRandom[] rngs = new SplittableRandom[b.size()];
            for (int i = 0; i < rngs.length; i++) {
                rngs[i] = base.split();
            }
            Map<String, INDArray> feed = prepare(b, rngs, false, b.size());
            sum += sd.output(feed, PER_SAMPLE).get(PER_SAMPLE).sumNumber().doubleValue();
            release(feed, b);
            n += b.size();
        }
        return sum / n;
    }

    /** Closes the feed arrays made by {@link #prepare} (not the batch's own, which the caller may reuse). */
    private static void release(Map<String, INDArray> feed, TrainingBatch b) {
        for (INDArray a : feed.values()) {
            if (a != b.latents() && a != b.text() && a != b.textMask() && a.closeable()) {
                a.close();
            }
        }
    }

    /** The graph's feed for a clean batch: noised latents, timesteps, (dropped-out) text, target and loss weights. */
    Map<String, INDArray> prepare(TrainingBatch b, SplittableRandom[] rngs, boolean training, int samplesInStep) {
        int n = b.size();
        long[] shape = b.latents().shape();
        long[] one = shape.clone();
        one[0] = 1;
        int perSample = (int) (b.latents().length() / n);
        int[] t = new int[n];
        float[] noise = new float[n * perSample];
        boolean[] drop = new boolean[n];
        for (int i = 0; i < n; i++) {
            SplittableRandom timestepRng = rngs[i].split();
            SplittableRandom noiseRng = rngs[i].split();
            SplittableRandom dropRng = rngs[i].split();
            t[i] = training ? targets.sampleTimesteps(1, timestepRng)[0]
                    : TimestepSampling.UNIFORM.sample(targets.noiseSchedule().numTrainTimesteps(), timestepRng);
            for (int j = 0; j < perSample; j++) {
                noise[i * perSample + j] = (float) noiseRng.nextGaussian();
            }
            drop[i] = training && dropRng.nextDouble() < cfgDropout;
        }
        INDArray x0 = b.latents();
        INDArray xt;
        INDArray target;
        try (INDArray eps = Nd4j.create(noise, shape, 'c')) {
            xt = targets.noisySample(x0, eps, t);
            target = targets.target(x0, eps, t);
        }
        double[] snr = targets.minSnrWeights(t, minSnrGamma > 0 ? minSnrGamma : null);
        float[] w = new float[n];
        float[] tf = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (snr[i] / samplesInStep);
            tf[i] = t[i];
        }
        INDArray text = b.text();
        INDArray mask = b.textMask();
        boolean anyDrop = false;
        for (boolean d : drop) {
            anyDrop |= d;
        }
        if (anyDrop) {
            text = text.dup('c');
            mask = mask.dup('c');
            NullTextEmbedding empty = nullText.padded((int) text.size(1));
            for (int i = 0; i < n; i++) {
                if (drop[i]) {
                    text.slice(i).assign(empty.embedding());
                    mask.slice(i).assign(empty.mask());
                }
            }
        }
        DataType dt = model.dataType();
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put("x", xt.castTo(dt));
        feed.put("t", Nd4j.create(tf, new long[] {n}, 'c').castTo(dt));
        feed.put("text", text.castTo(dt));
        feed.put("text_mask", mask.castTo(dt));
        feed.put(TARGET, target.castTo(dt));
        feed.put(LOSS_WEIGHT, Nd4j.create(w, new long[] {n}, 'c').castTo(dt));
        return feed;
    }
}
