package dev.t2v.inference.bench;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.Guidance;
import dev.t2v.core.diffusion.Noise;
import dev.t2v.core.diffusion.Scheduler;
import dev.t2v.core.diffusion.Schedulers;
import dev.t2v.core.model.Denoiser;
import dev.t2v.inference.Backend;
import dev.t2v.inference.DemoModel;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.TextToVideoPipeline;
import dev.t2v.inference.bench.BenchReport.GemmShape;
import dev.t2v.inference.bench.BenchReport.ModelRow;
import dev.t2v.inference.bench.BenchReport.SamplingRow;
import dev.t2v.inference.ort.OnnxDenoiserCache;
import dev.t2v.inference.ort.OrtDenoiser;
import dev.t2v.inference.ort.OrtOptions;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * {@code t2v bench}: in one process, the GEMM ceiling, then for each preset the forward time on each backend and a
 * SameDiff training step, with FLOPs from {@link DenoiserConfig#forwardFlops} (a training step counts as 3 forwards,
 * the usual convention: the backward pass costs about twice the forward), achieved GFLOP/s and MFU against the
 * ceiling of the same run; ORT-vs-SameDiff parity on the same inputs; sampling time per video with each sampler; peak
 * RSS. Every figure is a median of timed runs after a warm-up run.
 *
 * <p>Models get random weights everywhere (the zero-initialised layers too), so outputs and parity are non-trivial.
 * Batch sizes: tiny and demo 8, small 2, base and seed 1; frames: the preset's window; text: the preset's longest.
 */
public final class Benchmark {
    /** Forward FLOPs per training step, by the usual convention (backward ~ 2x forward). */
    public static final int TRAIN_FLOPS_FACTOR = 3;
    static final String FLOPS_CONVENTION = "FLOPs: DenoiserConfig.forwardFlops (matrix products, multiply-add = 2 FLOPs; "
            + "elementwise work not counted); training step = 3 x forward; MFU = achieved GFLOP/s / GEMM ceiling of this run";
    private static final long WEIGHT_SEED = 1234;
    private static final double WEIGHT_STD = 0.02;
    private static final double GUIDANCE = 5.0;

    private final BenchOptions options;
    private final TrainStep trainStep;
    private final PrintStream log;
    private final long startNanos = System.nanoTime();
    private final List<String> notes = new ArrayList<>();
    private final Path exportDir;

    private Benchmark(BenchOptions options, TrainStep trainStep, PrintStream log) throws IOException {
        this.options = options;
        this.trainStep = trainStep;
        this.log = log;
        this.exportDir = Files.createTempDirectory("t2v-bench-onnx");
    }

    /** Runs the benchmark, timing training with {@code trainStep}, logging progress to {@code log}. */
    public static BenchReport run(BenchOptions options, TrainStep trainStep, PrintStream log) throws IOException {
        Benchmark b = new Benchmark(options, java.util.Objects.requireNonNull(trainStep, "trainStep"), log);
        try {
            return b.run();
        } finally {
            b.deleteExports();
        }
    }

    /** The batch size a preset is timed at: 8 for tiny and demo (demo's training batch), 2 for small, 1 above. */
    public static int batchFor(String preset) {
        return switch (preset) {
            case "tiny", "demo" -> 8;
            case "small" -> 2;
            default -> 1;
        };
    }

    private BenchReport run() {
        double[] loadStart = Measure.loadAverage();
        log.println("bench: GEMM ceiling...");
        List<GemmShape> gemmStart = gemm();
        List<Row> rows = new ArrayList<>();
        for (String preset : options.presets()) {
            rows.addAll(preset(preset));
        }
        List<SamplingRow> sampling = sampling();
        log.println("bench: GEMM ceiling again...");
        List<GemmShape> gemmEnd = gemm();
        double ceiling = Stream.concat(gemmStart.stream(), gemmEnd.stream()).mapToDouble(GemmShape::gflops).max()
                .orElse(Double.NaN);
        List<ModelRow> models = rows.stream().map(r -> r.toRow(ceiling)).toList();
        BenchReport.Machine machine = new BenchReport.Machine(Measure.cpuModel(),
                Runtime.getRuntime().availableProcessors(), Measure.avx512(), Measure.totalMemoryMib(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.version"),
                "OMP_WAIT_POLICY=" + System.getenv("OMP_WAIT_POLICY") + " OPENBLAS_THREAD_TIMEOUT="
                        + System.getenv("OPENBLAS_THREAD_TIMEOUT"),
                ai.onnxruntime.OrtEnvironment.getAvailableProviders().toString(), loadStart, Measure.loadAverage());
        return new BenchReport(LocalDate.now().toString(), machine, FLOPS_CONVENTION,
                new BenchReport.Gemm(ceiling, gemmStart, gemmEnd), models, sampling, notes, elapsedSeconds(),
                Measure.peakRssMib());
    }

    private List<GemmShape> gemm() {
        return GemmCeiling.measure(GemmCeiling.modelShapes(), 5).stream()
                .map(r -> new GemmShape(r.shape().label(), r.shape().m(), r.shape().k(), r.shape().n(), r.medianMs(),
                        r.gflops()))
                .toList();
    }

    // ---------------------------------------------------------------- presets

    /** What one preset on one backend measured; MFU is filled in once the ceiling is known. */
    private static final class Row {
        String preset;
        Backend backend;
        int batch;
        int frames;
        int textTokens;
        double forwardGflop;
        List<Double> forwardMs = List.of();
        List<Double> forwardCpuMs = List.of();
        Integer trainFrames;
        List<Double> trainMs;
        Double firstTrainMs;
        Double gradientGraphMs;
        String trainNote;
        Double parity;
        Double parityF1;
        Double prepareSeconds;
        long peakRssMib;
        DenoiserConfig cfg;

        ModelRow toRow(double ceiling) {
            double fwd = Measure.median(forwardMs);
            double gflops = forwardGflop / (fwd / 1e3);
            Double trainGflop = null, train = null, trainGflops = null, trainMfu = null;
            if (trainMs != null) {
                trainGflop = TRAIN_FLOPS_FACTOR * cfg.forwardFlops(batch, trainFrames) / 1e9;
                train = Measure.median(trainMs);
                trainGflops = trainGflop / (train / 1e3);
                trainMfu = trainGflops / ceiling;
            }
            return new ModelRow(preset, backend.flagName(), batch, frames, textTokens, forwardGflop, fwd, forwardMs,
                    Measure.median(forwardCpuMs), gflops, gflops / ceiling, trainFrames, trainGflop, train, trainMs,
                    trainGflops, trainMfu, firstTrainMs, gradientGraphMs, trainNote, parity, parityF1, prepareSeconds, peakRssMib);
        }
    }

    private List<Row> preset(String name) {
        DenoiserConfig cfg = DenoiserConfig.preset(name);
        int batch = batchFor(name);
        int frames = cfg.frames();
        int textLen = cfg.maxTextTokens();
        List<Row> rows = new ArrayList<>();
        if (overBudget()) {
            notes.add("skipped preset " + name + ": the " + options.budget().toMinutes() + "-minute budget was spent");
            return rows;
        }
        log.printf(Locale.ROOT, "bench: %s (batch %d, %d frames, %d text tokens, %.2fM parameters)%n", name, batch,
                frames, textLen, cfg.parameterCount() / 1e6);
        Inputs in = Inputs.random(cfg, batch, frames, textLen, 99);
        Inputs one = Inputs.random(cfg, 1, 1, textLen, 98);
        try (Denoiser model = randomModel(cfg)) {
            INDArray reference = null;
            INDArray referenceF1 = null;
            Row sameDiff = null;
            if (options.backends().contains(Backend.SAMEDIFF)) {
                sameDiff = newRow(name, Backend.SAMEDIFF, cfg, batch, frames, textLen);
                Measure.resetPeakRss();
                reference = timeForward(sameDiff, (x, t, text, mask) -> model.forward(x, t, text, mask), in, true);
                referenceF1 = model.forward(one.x, one.t, one.text, one.mask);
                sameDiff.peakRssMib = Measure.peakRssMib();
                rows.add(sameDiff);
            }
            if (options.backends().contains(Backend.ORT)) {
                // Before any training step: training updates the weights in place, and the export must match the
                // reference outputs.
                Row r = newRow(name, Backend.ORT, cfg, batch, frames, textLen);
                Measure.resetPeakRss();
                long t0 = System.nanoTime();
                try (OrtDenoiser ort = OrtDenoiser.open(export(cfg, model.weights()), cfg, ortOptions())) {
                    r.prepareSeconds = (System.nanoTime() - t0) / 1e9;
                    INDArray out = timeForward(r, ort::predict, in, reference != null);
                    if (reference != null) {
                        r.parity = relativeError(out, reference);
                        r.parityF1 = relativeError(ort.predict(one.x, one.t, one.text, one.mask), referenceF1);
                    }
                }
                r.trainNote = "ONNX Runtime is inference only here";
                r.peakRssMib = Measure.peakRssMib();
                rows.add(r);
            }
            if (sameDiff != null) {
                if (options.train()) {
                    Measure.resetPeakRss();
                    train(sameDiff, model, cfg, batch, frames, textLen);
                    sameDiff.peakRssMib = Math.max(sameDiff.peakRssMib, Measure.peakRssMib());
                } else {
                    sameDiff.trainNote = "not measured (--no-train)";
                }
            }
        }
        return rows;
    }

    private Row newRow(String name, Backend backend, DenoiserConfig cfg, int batch, int frames, int textLen) {
        Row r = new Row();
        r.preset = name;
        r.backend = backend;
        r.cfg = cfg;
        r.batch = batch;
        r.frames = frames;
        r.textTokens = textLen;
        r.forwardGflop = cfg.forwardFlops(batch, frames, textLen) / 1e9;
        return r;
    }

    @FunctionalInterface
    private interface Forward {
        INDArray run(INDArray x, INDArray t, INDArray text, INDArray mask);
    }

    /** One warm-up run and {@code iterations} timed ones; returns the last output when asked to keep it. */
    private INDArray timeForward(Row r, Forward f, Inputs in, boolean keep) {
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        INDArray last = null;
        for (int i = 0; i <= options.iterations(); i++) {
            if (i > 0 && overBudget()) {
                notes.add(r.preset + " " + r.backend.flagName() + ": forward stopped after " + wall.size()
                        + " timed run(s), budget spent");
                break;
            }
            long t0 = System.nanoTime();
            double c0 = Measure.cpuSeconds();
            INDArray out = f.run(in.x, in.t, in.text, in.mask);
            double ms = (System.nanoTime() - t0) / 1e6;
            double cpuMs = (Measure.cpuSeconds() - c0) * 1e3;
            if (i > 0) {
                wall.add(ms);
                cpu.add(cpuMs);
            }
            if (last != null) {
                last.close();
            }
            last = out;
            log.printf(Locale.ROOT, "  %s forward %s %.0f ms%n", r.backend.flagName(), i == 0 ? "(warm-up)" : "",
                    ms);
        }
        if (wall.isEmpty()) { // budget ran out after the warm-up: report it rather than nothing
            wall.add(Double.NaN);
            cpu.add(Double.NaN);
        }
        r.forwardMs = wall;
        r.forwardCpuMs = cpu;
        if (!keep && last != null) {
            last.close();
            return null;
        }
        return last;
    }

    private void train(Row r, Denoiser model, DenoiserConfig cfg, int batch, int frames, int textLen) {
        long available = availableBytes();
        int f = frames;
        while (f > 1 && TrainStep.estimateBytes(cfg, batch, f) > available) {
            f = Math.max(1, f / 2);
        }
        long need = TrainStep.estimateBytes(cfg, batch, f);
        if (need > available) {
            r.trainNote = String.format(Locale.ROOT, "skipped: needs about %.1f GB, %.1f GB available", need / 1e9,
                    available / 1e9);
            notes.add(r.preset + " training step " + r.trainNote);
            return;
        }
        // Predicted time: the first step builds the gradient graph (about 10 forwards here), each step ~3 forwards.
        double fwdSeconds = Measure.median(r.forwardMs) / 1e3 * f / frames;
        double predicted = fwdSeconds * (10 + TRAIN_FLOPS_FACTOR * (1 + options.iterations())) + 5;
        if (!fitsBudget(predicted)) {
            r.trainNote = String.format(Locale.ROOT, "skipped: would take about %.0f s, beyond the budget", predicted);
            notes.add(r.preset + " training step " + r.trainNote);
            return;
        }
        if (f < frames) {
            r.trainNote = String.format(Locale.ROOT, "at %d frames: %d frames need about %.1f GB, %.1f GB available", f,
                    frames, TrainStep.estimateBytes(cfg, batch, frames) / 1e9, available / 1e9);
            notes.add(r.preset + " training step " + r.trainNote);
        }
        Inputs in = Inputs.random(cfg, batch, f, textLen, 97);
        log.printf(Locale.ROOT, "  samediff train step (batch %d, %d frames)...%n", batch, f);
        TrainStep.Result res = trainStep.time(model, in.x, in.text, in.mask, options.iterations());
        r.trainFrames = f;
        r.trainMs = res.timedMs();
        r.firstTrainMs = res.firstMs();
        r.gradientGraphMs = res.gradientGraphMs();
        log.printf(Locale.ROOT, "  samediff train steps %s ms (warm-up step %.0f ms, gradient graph %.0f ms)%n",
                rounded(res.timedMs()), res.firstMs(), res.gradientGraphMs());
    }

    /**
     * Memory a training step may use: what the OS has available plus what this process already holds, bounded by
     * JavaCPP's off-heap limit (ND4J's arrays live there).
     */
    private static long availableBytes() {
        long os = Measure.availableMemoryMib() << 20;
        long offHeapLeft = Pointer.maxBytes() - Pointer.totalBytes();
        return (long) (0.85 * Math.min(os > 0 ? os : Long.MAX_VALUE, offHeapLeft));
    }

    // ---------------------------------------------------------------- sampling

    private List<SamplingRow> sampling() {
        List<SamplingRow> out = new ArrayList<>();
        if (options.samplers().isEmpty()) {
            return out;
        }
        Path bundle = options.model();
        if (bundle == null && DemoModel.available()) {
            try {
                bundle = DemoModel.directory();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (bundle != null) {
            return samplingBundle(bundle, options.model() == null ? "demo bundle" : bundle.getFileName().toString());
        }
        notes.add("no model bundle (no --model, no bundled demo model): timed the denoising loop of a random-initialised"
                + " demo");
        DenoiserConfig cfg = DenoiserConfig.preset("demo");
        String label = "demo (random init)";
        int textLen = cfg.maxTextTokens();
        SplittableRandom rng = new SplittableRandom(5);
        INDArray text = Noise.gaussian(new long[] {2, textLen, cfg.textDim()}, rng);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 2, textLen);
        mask.getRow(1).assign(0); // the unconditional branch: no real token
        try (Denoiser model = randomModel(cfg)) {
            for (Backend backend : options.backends()) {
                if (overBudget()) {
                    notes.add("skipped sampling on " + backend.flagName() + ": budget spent");
                    continue;
                }
                try (Runner f = backend == Backend.SAMEDIFF ? runner(model::forward)
                        : ortRunner(cfg, model.weights())) {
                    for (String sampler : options.samplers()) {
                        double seconds = sampleOnce(f, cfg, sampler, text, mask);
                        out.add(new SamplingRow(label, backend.flagName(), sampler, options.samplingSteps(), GUIDANCE,
                                cfg.frames(), seconds, seconds / options.samplingSteps(),
                                "denoising loop: cond + uncond in one batch of 2, no text encoder or codec"));
                        log.printf(Locale.ROOT, "  sampling %s %s: %.2f s/video%n", backend.flagName(), sampler,
                                seconds);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Whole generations through {@link TextToVideoPipeline} (text encoder, guided denoising, codec decode) of the
     * bundle's window, per backend and sampler, after one warm-up generation per backend.
     */
    private List<SamplingRow> samplingBundle(Path bundle, String label) {
        List<SamplingRow> out = new ArrayList<>();
        for (Backend backend : options.backends()) {
            if (overBudget()) {
                notes.add("skipped sampling on " + backend.flagName() + ": budget spent");
                continue;
            }
            try (TextToVideoPipeline pipeline = TextToVideoPipeline.load(bundle, backend)) {
                GenerationRequest.Builder base = pipeline.requestBuilder("a red circle moving right")
                        .steps(options.samplingSteps()).guidanceScale(GUIDANCE).seed(1);
                pipeline.generate(base.sampler(options.samplers().get(0)).steps(2).build(), null); // warm-up
                for (String sampler : options.samplers()) {
                    GenerationRequest request = base.sampler(sampler).steps(options.samplingSteps()).build();
                    long t0 = System.nanoTime();
                    pipeline.generate(request, null);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    out.add(new SamplingRow(label, backend.flagName(), sampler, request.steps(), GUIDANCE,
                            request.frames(), seconds, seconds / request.steps(),
                            "whole generation: text encoder, cond + uncond in one batch, codec decode"));
                    log.printf(Locale.ROOT, "  sampling %s %s: %.2f s/video%n", backend.flagName(), sampler, seconds);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(bundle + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** One video: noise, then {@code samplingSteps} guided denoiser calls and scheduler steps. Seconds. */
    private double sampleOnce(Runner f, DenoiserConfig cfg, String sampler, INDArray text, INDArray mask) {
        Scheduler scheduler = Schedulers.create(sampler, SchedulerConfig.seed(), 0.0, 3);
        scheduler.setTimesteps(options.samplingSteps());
        int s = cfg.latentSize();
        long t0 = System.nanoTime();
        INDArray latents = Noise.gaussian(new long[] {1, cfg.frames(), cfg.latentChannels(), s, s},
                new SplittableRandom(4)).muli(scheduler.initNoiseSigma());
        for (int t : scheduler.timesteps()) {
            INDArray in = scheduler.scaleModelInput(latents, t);
            INDArray pair = Nd4j.concat(0, in, in); // [2,F,C,S,S]: conditional and unconditional
            INDArray out = f.forward(pair, Nd4j.valueArrayOf(new long[] {2}, (float) t), text, mask);
            INDArray guided = Guidance.apply(out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)),
                    out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2)), GUIDANCE, 0.0);
            latents = scheduler.step(guided, t, latents).prevSample();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** A denoiser forward that owns what it runs on. */
    private interface Runner extends AutoCloseable {
        INDArray forward(INDArray x, INDArray t, INDArray text, INDArray mask);

        @Override
        void close();
    }

    private static Runner runner(Forward f) {
        return new Runner() {
            @Override
            public INDArray forward(INDArray x, INDArray t, INDArray text, INDArray mask) {
                return f.run(x, t, text, mask);
            }

            @Override
            public void close() {
            }
        };
    }

    private Runner ortRunner(DenoiserConfig cfg, Map<String, INDArray> weights) {
        OrtDenoiser ort = OrtDenoiser.open(export(cfg, weights), cfg, ortOptions());
        return new Runner() {
            @Override
            public INDArray forward(INDArray x, INDArray t, INDArray text, INDArray mask) {
                return ort.predict(x, t, text, mask);
            }

            @Override
            public void close() {
                ort.close();
            }
        };
    }

    // ---------------------------------------------------------------- helpers

    private OrtOptions ortOptions() {
        return OrtOptions.forDevice(options.device());
    }

    private Path export(DenoiserConfig cfg, Map<String, INDArray> weights) {
        try {
            return OnnxDenoiserCache.export(cfg, weights, ortOptions().precision(), exportDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot export the denoiser to ONNX in " + exportDir, e);
        }
    }

    /** A FLOAT model with every weight N(0, 0.02^2) (LayerNorm scales 1 + noise), the same for every run. */
    static Denoiser randomModel(DenoiserConfig cfg) {
        Denoiser m = Denoiser.create(cfg, WEIGHT_SEED);
        SplittableRandom rng = new SplittableRandom(WEIGHT_SEED);
        m.weights().forEach((name, w) -> {
            INDArray noise = Noise.gaussian(w.shape(), rng.split()).muli(WEIGHT_STD);
            w.assign(name.matches(".*norm[^.]*\\.weight") ? noise.addi(1.0) : noise);
            noise.close();
        });
        return m;
    }

    static double relativeError(INDArray actual, INDArray reference) {
        double scale = Math.max(reference.amaxNumber().doubleValue(), 1e-30);
        return actual.castTo(DataType.DOUBLE).sub(reference.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private boolean overBudget() {
        return !fitsBudget(0);
    }

    /** Whether something taking {@code seconds} still ends inside the budget, leaving time for the closing GEMM run. */
    private boolean fitsBudget(double seconds) {
        return elapsedSeconds() + seconds + 10 < options.budget().toSeconds();
    }

    private void deleteExports() {
        try (Stream<Path> files = Files.walk(exportDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.println("bench: could not delete " + exportDir + ": " + e.getMessage());
        }
    }

    private static String rounded(List<Double> xs) {
        return xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
    }

    /** Seeded denoiser inputs; every sample has some padding tokens but at least half its text real. */
    record Inputs(INDArray x, INDArray t, INDArray text, INDArray mask) {
        static Inputs random(DenoiserConfig cfg, int b, int frames, int textLen, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            int s = cfg.latentSize();
            INDArray x = Noise.gaussian(new long[] {b, frames, cfg.latentChannels(), s, s}, rng);
            float[] t = new float[b];
            for (int i = 0; i < b; i++) {
                t[i] = rng.nextInt(1000);
            }
            INDArray mask = Nd4j.ones(DataType.FLOAT, b, textLen);
            for (int i = 0; i < b; i++) {
                int real = textLen - (i % 4) * textLen / 8;
                for (int j = real; j < textLen; j++) {
                    mask.putScalar(i, j, 0);
                }
            }
            INDArray text = Noise.gaussian(new long[] {b, textLen, cfg.textDim()}, rng);
            return new Inputs(x, Nd4j.create(t, new long[] {b}, DataType.FLOAT), text,
                    mask);
        }

    }
}
