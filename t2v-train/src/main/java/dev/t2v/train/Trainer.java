package dev.t2v.train;

import dev.t2v.core.bundle.BundleInfo;
import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.core.bundle.Provenance;
import dev.t2v.core.bundle.SamplingDefaults;
import dev.t2v.core.bundle.VideoSpec;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.io.AtomicFiles;
import dev.t2v.core.io.Safetensors;
import dev.t2v.core.model.Denoiser;
import dev.t2v.core.util.ProgressBar;
import dev.t2v.train.dataset.TrainingBatch;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trains a denoiser on a {@link BatchSource} and writes checkpoints, metrics and the final model bundle under a run
 * directory:
 * <pre>
 * RUN/config.json            the resolved {@link TrainingConfig}
 * RUN/metrics.csv, loss.png  {@link MetricsLog}
 * RUN/checkpoints/step-…/    {@link Checkpoints}: bundle (EMA weights) + raw weights + Adam moments + trainer state
 * RUN/model/                 the final {@link ModelBundle}, what {@code t2v generate --model} loads
 * </pre>
 *
 * <p>One optimiser step: take the next {@code accumulation} micro-batches of the epoch (fewer at the epoch's end, so
 * steps never straddle epochs), sum their gradients ({@link DiffusionLoss}; the loss is normalised by the step's
 * sample count), clip to the global norm, then — unless the loss or gradient is non-finite, in which case the step is
 * skipped and counted — an {@link AdamW} update with the scheduled learning rate and an {@link Ema} update. Validation
 * runs at checkpoints and every {@code valEvery} steps on fixed clips, timesteps and noise. Checkpoints are written
 * every {@code saveEvery} steps, at each epoch's end and at the last step; the newest {@code keep} and the best by
 * validation loss are kept.
 *
 * <p>Determinism: the weights start from {@code seed}, batches are a function of {@code (seed, epoch, position)} and
 * every draw of {@code (seed, step, sample)}, so a run stopped at a checkpoint and resumed reproduces the uninterrupted
 * run bit for bit.
 */
public final class Trainer {
    /** Weight of the newest step in the progress bar's running loss. */
    private static final double LOSS_SMOOTHING = 0.1;

    private final TrainingConfig cfg;
    private final DenoiserConfig modelCfg;
    private final BatchSource train;
    private final BatchSource validation;
    private final BundleRefs refs;
    private final Path runDir;
    private final PrintStream log;
    private final int textTokens;
    private final int batchesPerEpoch;
    private final long totalSteps;

    /**
     * Checks the configuration against the data; nothing is written until {@link #run}.
     *
     * @param validation the held-out clips, or {@code null} to train without validation
     * @param log where warnings and the progress bar go (stderr in the CLI)
     * @throws IllegalArgumentException when the preset does not fit the data or the data is too small for a batch
     */
    public Trainer(TrainingConfig cfg, BatchSource train, BatchSource validation, BundleRefs refs, Path runDir,
            PrintStream log) {
        this.cfg = cfg;
        this.train = train;
        this.validation = validation != null && validation.size() > 0 ? validation : null;
        this.refs = refs;
        this.runDir = runDir.toAbsolutePath().normalize();
        this.log = log;
        this.modelCfg = adaptToData(DenoiserConfig.preset(cfg.preset()), cfg.preset(), train);
        this.batchesPerEpoch = train.batchesPerEpoch(cfg.batchSize());
        if (batchesPerEpoch < 1) {
            throw new IllegalArgumentException("the " + cfg.trainSplit() + " split has " + train.size()
                    + " clips, fewer than one batch of " + cfg.batchSize() + "; lower the batch size");
        }
        this.textTokens = cfg.textTokens() > 0 ? Math.min(cfg.textTokens(), train.maxTextTokens())
                : train.maxTextTokens();
        this.totalSteps = cfg.totalSteps(batchesPerEpoch);
        if (refs.textEncoder().dim() != train.textDim()) {
            throw new IllegalArgumentException("the text encoder " + refs.textEncoder().id() + " has dim "
                    + refs.textEncoder().dim() + " but the data's captions are " + train.textDim() + " wide");
        }
        if (refs.codec() != null && refs.codec().latentChannels() != train.latentChannels()) {
            throw new IllegalArgumentException("the codec " + refs.codec().id() + " has "
                    + refs.codec().latentChannels() + " latent channels but the data's latents have "
                    + train.latentChannels());
        }
        if (!cfg.init().isEmpty()) {
            checkInit(Path.of(cfg.init()));
        }
        if (this.validation != null && (validation.textDim() != train.textDim()
                || validation.latentSize() != train.latentSize() || validation.frames() != train.frames())) {
            throw new IllegalArgumentException("the validation clips are shaped differently from the training clips");
        }
    }

    /**
     * The preset made to fit the data: its text width becomes the data's ({@code withTextDim}) and its text length
     * grows to the data's longest captions; channels and latent size must already match, and the data's clips may
     * be shorter than the preset's window but not longer.
     *
     * @throws IllegalArgumentException naming the preset and the mismatch
     */
    public static DenoiserConfig adaptToData(DenoiserConfig preset, String name, BatchSource data) {
        if (preset.latentChannels() != data.latentChannels()) {
            throw new IllegalArgumentException("preset '" + name + "' has " + preset.latentChannels()
                    + " latent channels but the data's latents have " + data.latentChannels());
        }
        if (preset.latentSize() != data.latentSize()) {
            throw new IllegalArgumentException("preset '" + name + "' is for " + preset.latentSize() + "x"
                    + preset.latentSize() + " latents but the data's are " + data.latentSize() + "x"
                    + data.latentSize() + "; choose a preset with latent_size " + data.latentSize()
                    + " or preprocess at another frame size");
        }
        // Shorter clips than the window are allowed: the graph takes any frame count, so a run can learn shapes
        // from many short clips first (the images-first recipe of Latte and VideoLDM) and motion later (--init).
        if (data.frames() > preset.frames()) {
            throw new IllegalArgumentException("preset '" + name + "' generates " + preset.frames()
                    + "-frame windows but the data's clips have " + data.frames() + " frames; preprocess with --frames "
                    + preset.frames() + " or fewer");
        }
        DenoiserConfig c = preset.textDim() == data.textDim() ? preset : preset.withTextDim(data.textDim());
        return c.maxTextTokens() >= data.maxTextTokens() ? c : c.withMaxTextTokens(data.maxTextTokens());
    }

    /**
     * Checks that the bundle or checkpoint at {@code dir} can start this run: the same denoiser config, text encoder
     * and codec as this data gives (what resuming checks too), so that its weights mean the same thing here.
     */
    private void checkInit(Path dir) {
        BundleInfo info;
        try {
            info = ModelBundle.read(dir).info();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("init " + dir + ": not a model bundle or checkpoint: " + e.getMessage(), e);
        }
        if (!info.denoiser().equals(modelCfg)) {
            throw new IllegalArgumentException("init " + dir + ": its denoiser config differs from the one this data and "
                    + "preset '" + cfg.preset() + "' give (" + info.denoiser() + " vs " + modelCfg + ")");
        }
        if (!info.textEncoder().id().equals(refs.textEncoder().id())) {
            throw new IllegalArgumentException("init " + dir + ": trained with text encoder " + info.textEncoder().id()
                    + " but this data's captions were encoded with " + refs.textEncoder().id());
        }
        if (refs.codec() != null && (info.codec() == null || !info.codec().id().equals(refs.codec().id()))) {
            throw new IllegalArgumentException("init " + dir + ": trained on latents of codec "
                    + (info.codec() == null ? "(none)" : info.codec().id()) + " but this data's are of "
                    + refs.codec().id());
        }
    }

    /** The starting weights of {@code init}: a checkpoint's raw weights, else the bundle's (EMA) denoiser. */
    private static Map<String, INDArray> initWeights(Path init) throws IOException {
        Path raw = init.resolve(Checkpoints.WEIGHTS);
        return Safetensors.read(Files.isRegularFile(raw) ? raw : init.resolve(ModelBundle.DENOISER_FILE));
    }

    /** The denoiser config trained: the preset adapted to the data. */
    public DenoiserConfig modelConfig() {
        return modelCfg;
    }

    /** The run's planned optimiser steps. */
    public long totalSteps() {
        return totalSteps;
    }

    /** The final bundle's directory, {@code RUN/model}. */
    public Path modelDirectory() {
        return runDir.resolve("model");
    }

    /**
     * Trains to the end of the configured budget.
     *
     * @param resume continue from the newest complete checkpoint in the run directory (none: start afresh); without
     *     it, a run directory that already has checkpoints is refused
     * @throws TrainingDivergedException after {@code maxNonFinite} non-finite steps in a row
     * @throws IllegalStateException when resuming with a config that changes the computation
     */
    public TrainingResult run(boolean resume) throws IOException {
        return run(resume, Long.MAX_VALUE);
    }

    /**
     * Trains up to step {@code stopAt} (checkpointed there), or to the end of the budget if that comes first. The
     * schedule still spans the whole budget, so a run stopped here and resumed later computes what one run would:
     * training can be done in slices.
     */
    public TrainingResult run(boolean resume, long stopAt) throws IOException {
        if (stopAt < 1) {
            throw new IllegalArgumentException("stopAt must be >= 1, got " + stopAt);
        }
        long started = System.nanoTime();
        Files.createDirectories(runDir);
        Checkpoints checkpoints = new Checkpoints(runDir, log);
        checkpoints.removeTemps();
        Optional<Checkpoints.Checkpoint> from = resume ? checkpoints.latest() : Optional.empty();
        if (!resume && !checkpoints.list().isEmpty()) {
            throw new IllegalStateException(runDir + " already has checkpoints; resume it, or choose another run "
                    + "directory");
        }
        if (resume && from.isEmpty()) {
            log.println("no complete checkpoint in " + checkpoints.directory() + "; starting from scratch");
        }
        TrainerState state = from.map(Checkpoints.Checkpoint::state).orElse(null);
        if (state != null) {
            List<String> conflicts = cfg.resumeConflicts(state.trainingConfig());
            if (!conflicts.isEmpty()) {
                throw new IllegalStateException("cannot resume " + from.get().dir() + " with a different "
                        + String.join(", ", conflicts) + "; only " + TrainingConfig.RESUMABLE_CHANGES
                        + " may change");
            }
            DenoiserConfig saved = ModelBundle.read(from.get().dir()).info().denoiser();
            if (!saved.equals(modelCfg)) {
                throw new IllegalStateException("cannot resume " + from.get().dir() + ": its denoiser config differs "
                        + "from the one this data and preset give");
            }
        }
        AtomicFiles.write(runDir.resolve("config.json"), cfg.toJson().getBytes(StandardCharsets.UTF_8));

        Map<String, INDArray> start = state != null ? Safetensors.read(from.get().dir().resolve(Checkpoints.WEIGHTS))
                : cfg.init().isEmpty() ? null : initWeights(Path.of(cfg.init()));
        if (state == null && start != null) {
            log.println("starting from the weights of " + cfg.init());
        }
        try (Denoiser model = start == null ? Denoiser.create(modelCfg, cfg.seed()) : Denoiser.fromWeights(modelCfg, start);
                MetricsLog metrics = new MetricsLog(runDir, state == null ? -1 : state.step())) {
            DiffusionLoss loss = new DiffusionLoss(model, cfg.scheduler(), cfg.timestepSampling(), cfg.minSnrGamma(),
                    cfg.cfgDropout(), train.nullText());
            AdamW adam = new AdamW(AdamW.Hyper.of(cfg), model.weights());
            Ema ema = new Ema(cfg.emaDecay(), model.weights());
            if (state != null) {
                adam.load(Safetensors.read(from.get().dir().resolve(Checkpoints.OPTIMIZER)));
                ema.load(Safetensors.read(from.get().dir().resolve(ModelBundle.DENOISER_FILE)));
                log.printf(Locale.ROOT, "resuming %s at step %d (epoch %d, batch %d)%n", from.get().dir(),
                        state.step(), state.epoch(), state.position());
            }
            Loop loop = new Loop(model, loss, adam, ema, metrics, checkpoints, state);
            loop.run(Math.min(stopAt, totalSteps));
            double seconds = (System.nanoTime() - started) / 1e9;
            List<Checkpoints.Checkpoint> all = checkpoints.list();
            Double best = Checkpoints.best(all).map(c -> c.state().rankingLoss()).orElse(null);
            return new TrainingResult(loop.step, loop.stepsThisRun, loop.epoch, seconds,
                    loop.stepSeconds > 0 ? loop.samplesThisRun / loop.stepSeconds : 0, ProcessInfo.peakRssBytes(),
                    loop.smoothedLoss, best, loop.skipped, modelDirectory());
        }
    }

    /** The mutable state of one {@link #run}. */
    private final class Loop {
        final Denoiser model;
        final DiffusionLoss loss;
        final AdamW adam;
        final Ema ema;
        final OptimizerStep optimizerStep;
        final MetricsLog metrics;
        final Checkpoints checkpoints;
        final List<TrainingBatch> valBatches;
        final String gitRevision = ProcessInfo.gitRevision();
        long step;
        long updates;
        long epoch;
        int position;
        long skipped;
        int nonFiniteInARow;
        double smoothedLoss = Double.NaN;
        double lr;
        long samplesSeen;
        double elapsedBefore;
        List<TrainerState.HistoryPoint> history = new ArrayList<>();
        long stepsThisRun;
        long samplesThisRun;
        double stepSeconds;
        final long sessionStart = System.nanoTime();

        Loop(Denoiser model, DiffusionLoss loss, AdamW adam, Ema ema, MetricsLog metrics, Checkpoints checkpoints,
                TrainerState s) {
            this.model = model;
            this.loss = loss;
            this.adam = adam;
            this.ema = ema;
            this.optimizerStep = new OptimizerStep(model, loss, adam, ema, cfg.gradClip());
            this.metrics = metrics;
            this.checkpoints = checkpoints;
            this.valBatches = validationBatches();
            if (s != null) {
                step = s.step();
                updates = s.updates();
                epoch = s.epoch();
                position = s.position();
                skipped = s.skipped();
                nonFiniteInARow = s.nonFiniteInARow();
                smoothedLoss = s.smoothedLoss();
                lr = s.lr();
                samplesSeen = s.samplesSeen();
                elapsedBefore = s.elapsedSeconds();
                history = new ArrayList<>(s.history());
            }
        }

        void run(long end) throws IOException {
            if (position >= batchesPerEpoch) {
                // The data changed size since the checkpoint; continue at the next epoch rather than fail.
                epoch++;
                position = 0;
            }
            if (step >= totalSteps) {
                log.printf(Locale.ROOT, "already trained %d of %d steps%n", step, totalSteps);
                if (!Files.isDirectory(modelDirectory())) {
                    ModelBundle.write(modelDirectory(), bundleInfo(), ema.weights(), train.nullText());
                }
                return;
            }
            if (step == 0 && valBatches != null) {
                // The untrained model's validation loss: the start of the curve (the EMA equals the weights now).
                double v = loss.validationLoss(valBatches, cfg.valSeed());
                history.add(new TrainerState.HistoryPoint(0, Double.NaN, v, v));
                metrics.append(new MetricsLog.Row(0, 0, Double.NaN, v, v, 0, Double.NaN, 0, 0));
            }
            try (ProgressBar bar = new ProgressBar(log, "train", end - step)) {
                while (step < end) {
                    trainOneStep(bar, end);
                }
            }
            metrics.plot();
            if (step < totalSteps) {
                log.printf(Locale.ROOT, "stopped at step %d of %d; continue with --resume%n", step, totalSteps);
                return;
            }
            ModelBundle.write(modelDirectory(), bundleInfo(), ema.weights(), train.nullText());
        }

        void trainOneStep(ProgressBar bar, long end) throws IOException {
            long t0 = System.nanoTime();
            int micro = Math.min(cfg.accumulation(), batchesPerEpoch - position);
            List<TrainingBatch> batches = new ArrayList<>(micro);
            for (int k = 0; k < micro; k++) {
                batches.add(train.batch(cfg.seed(), epoch, position + k, cfg.batchSize(), textTokens));
            }
            lr = cfg.lrSchedule().at(step, cfg.learningRate(), cfg.warmupSteps(), totalSteps);
            OptimizerStep.Outcome g = optimizerStep.take(batches, cfg.seed(), step, lr, updates);
            double norm = g.gradientNorm();
            if (g.applied()) {
                updates++;
                nonFiniteInARow = 0;
                smoothedLoss = Double.isNaN(smoothedLoss) ? g.loss()
                        : (1 - LOSS_SMOOTHING) * smoothedLoss + LOSS_SMOOTHING * g.loss();
            } else {
                skipped++;
                nonFiniteInARow++;
                log.printf(Locale.ROOT, "%nwarning: step %d skipped: non-finite %s (loss %s, gradient norm %s); "
                        + "%d skipped in a row, %d in all%n", step + 1, Double.isFinite(g.loss()) ? "gradient" : "loss",
                        g.loss(), norm, nonFiniteInARow, skipped);
                if (nonFiniteInARow >= cfg.maxNonFinite()) {
                    throw new TrainingDivergedException("training diverged: " + nonFiniteInARow + " steps in a row "
                            + "(up to step " + (step + 1) + ") had a non-finite loss or gradient; the weights were "
                            + "not changed by them and the last checkpoint in " + checkpoints.directory()
                            + " is intact. Lower the learning rate or check the data");
                }
            }
            position += micro;
            boolean epochEnd = position >= batchesPerEpoch;
            if (epochEnd) {
                epoch++;
                position = 0;
            }
            step++;
            stepsThisRun++;
            samplesSeen += g.samples();
            samplesThisRun += g.samples();
            double seconds = (System.nanoTime() - t0) / 1e9;
            stepSeconds += seconds;

            boolean checkpoint = epochEnd || (cfg.saveEvery() > 0 && step % cfg.saveEvery() == 0)
                    || step == end;
            Double val = null;
            Double valEma = null;
            if (valBatches != null && (checkpoint || (cfg.valEvery() > 0 && step % cfg.valEvery() == 0))) {
                val = loss.validationLoss(valBatches, cfg.valSeed());
                valEma = validateEma();
                history.add(new TrainerState.HistoryPoint(step, smoothedLoss, val, valEma));
            }
            double epochs = epoch + (double) position / batchesPerEpoch;
            metrics.append(new MetricsLog.Row(step, epochs, g.loss(), val, valEma, lr, norm, g.samples() / seconds,
                    skipped));
            if (checkpoint) {
                TrainerState s = new TrainerState(step, updates, epoch, position, cfg.seed(), lr, skipped,
                        nonFiniteInARow, smoothedLoss, val, valEma, samplesSeen,
                        elapsedBefore + (System.nanoTime() - sessionStart) / 1e9, history, cfg.toJson());
                checkpoints.write(bundleInfo(), model.weights(), ema.weights(), adam.state(), train.nullText(), s);
                checkpoints.prune(cfg.keep());
                metrics.plot();
            }
            bar.extra(String.format(Locale.ROOT, "step %d/%d epoch %.2f | loss %.4f | lr %.2e | %.1f samples/s%s",
                    step, totalSteps, epochs, smoothedLoss, lr, g.samples() / seconds,
                    val == null ? "" : String.format(Locale.ROOT, " | val %.4f", val))).step();
        }

        /** The validation loss of the EMA weights: swapped into the graph and back (exact copies). */
        double validateEma() {
            Map<String, INDArray> live = model.weights();
            Map<String, INDArray> backup = new LinkedHashMap<>();
            live.forEach((k, w) -> backup.put(k, w.dup('c')));
            try {
                live.forEach((k, w) -> w.assign(ema.weights().get(k)));
                return loss.validationLoss(valBatches, cfg.valSeed());
            } finally {
                live.forEach((k, w) -> w.assign(backup.get(k)));
            }
        }

        List<TrainingBatch> validationBatches() {
            if (validation == null) {
                return null;
            }
            int vb = Math.min(cfg.batchSize(), validation.size());
            int n = Math.min(cfg.valBatches(), validation.batchesPerEpoch(vb));
            List<TrainingBatch> out = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                out.add(validation.batch(cfg.valSeed(), 0, j, vb, textTokens));
            }
            return out.isEmpty() ? null : out;
        }

        BundleInfo bundleInfo() {
            Provenance p = new Provenance(train.fingerprint(), step, epoch, cfg.seed(), gitRevision,
                    Instant.now().toString(), cfg.toJson(), Provenance.currentVersion());
            // The bundle generates the model's window, also when it was trained on shorter clips.
            VideoSpec video = new VideoSpec(modelCfg.frames(), refs.video().fps(), refs.video().size());
            return new BundleInfo(modelCfg, cfg.scheduler(), refs.textEncoder(), refs.codec(), video,
                    SamplingDefaults.defaults(), p);
        }
    }

}
