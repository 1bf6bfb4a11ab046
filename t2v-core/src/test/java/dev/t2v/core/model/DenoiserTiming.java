package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.ModelFixtures.Batch;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.adapter.SingletonMultiDataSetIterator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Measures forward time, training-step time (forward + backward + Adam) and peak RSS of a preset, at its trained frame
 * count and full text length. Median of the timed runs after warm-up.
 *
 * <pre>
 * mvn -B -o -q -pl t2v-core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4 java -Xmx12g \
 *   -cp t2v-core/target/classes:t2v-core/target/test-classes:$(cat t2v-core/target/cp.txt) \
 *   dev.t2v.core.model.DenoiserTiming PRESET BATCH [TIMED_RUNS] [--size HIDDEN DEPTH HEADS] [--frames F] [--forward-only]
 * </pre>
 *
 * {@code --size} overrides the preset's width, depth and head count (for retuning {@code demo}); {@code --frames} its
 * frame count; {@code --forward-only} skips training, whose stored activations need far more memory than a forward
 * (seed at batch 1: about 14 GB peak).
 *
 * Run one preset per JVM: peak RSS ({@code VmHWM}) is per process.
 */
public final class DenoiserTiming {
    private DenoiserTiming() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: DenoiserTiming PRESET BATCH [TIMED_RUNS] [--size HIDDEN DEPTH HEADS] "
                    + "[--frames F] [--forward-only]   (presets: " + DenoiserConfig.presetNames() + ")");
            System.exit(2);
        }
        DenoiserConfig cfg = DenoiserConfig.preset(args[0]);
        String label = args[0];
        int batchSize = Integer.parseInt(args[1]);
        int runs = 5;
        boolean train = true;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> {
                    cfg = cfg.withSize(Integer.parseInt(args[i + 1]), Integer.parseInt(args[i + 2]),
                            Integer.parseInt(args[i + 3]));
                    label += "[D" + cfg.hiddenSize() + " L" + cfg.depth() + " H" + cfg.numHeads() + "]";
                    i += 3;
                }
                case "--frames" -> cfg = cfg.withFrames(Integer.parseInt(args[++i]));
                case "--forward-only" -> train = false;
                default -> runs = Integer.parseInt(args[i]);
            }
        }
        int warmup = 1;

        try (Denoiser m = Denoiser.create(cfg, 1)) {
            ModelFixtures.randomise(m, 2, 0.02); // realistic non-zero activations everywhere
            Batch batch = ModelFixtures.batch(cfg, batchSize, cfg.frames(), cfg.maxTextTokens(), 3, DataType.FLOAT);

            List<Double> forward = new ArrayList<>();
            List<Double> forwardCpu = new ArrayList<>();
            for (int i = 0; i < warmup + runs; i++) {
                long t0 = System.nanoTime();
                double c0 = cpuSeconds();
                batch.forward(m).close();
                if (i >= warmup) {
                    forward.add((System.nanoTime() - t0) / 1e6);
                    forwardCpu.add((cpuSeconds() - c0) * 1e3);
                }
            }
            double gflop = cfg.forwardFlops(batchSize, cfg.frames()) / 1e9;
            double fwd = median(forward);
            String head = String.format(Locale.ROOT,
                    "%s batch %d frames %d tokens %d params %.2fM | forward %.1f ms (%.1f GFLOP, %.0f GFLOP/s; CPU %.1f ms)",
                    label, batchSize, cfg.frames(), cfg.frames() * cfg.tokensPerFrame(), cfg.parameterCount() / 1e6,
                    fwd, gflop, gflop / (fwd / 1e3), median(forwardCpu));
            if (!train) {
                System.out.printf(Locale.ROOT, "%s | peak RSS %d MB | forward runs %s | load %s%n",
                        head, peakRssMb(), rounded(forward), loadAverage());
                return;
            }

            new TrainingHarness(m, 1e-4);
            StepTimer timer = new StepTimer();
            SameDiff sd = m.sameDiff();
            MultiDataSet data = new MultiDataSet(new INDArray[] {batch.x(), batch.t(), batch.text(), batch.mask()},
                    new INDArray[] {batch.x().dup()});
            long fitStart = System.nanoTime();
            sd.fit(new SingletonMultiDataSetIterator(data), warmup + runs, timer);
            double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
            List<Double> steps = timer.millis.subList(warmup, timer.millis.size());
            List<Double> stepsCpu = timer.cpuMillis.subList(warmup, timer.cpuMillis.size());
            System.out.printf(Locale.ROOT,
                    "%s | train step %.1f ms (CPU %.1f ms; first step incl. gradient graph %.0f ms; fit total %.1f s) "
                            + "| peak RSS %d MB | forward runs %s | step runs %s | load %s%n",
                    head, median(steps), median(stepsCpu), timer.millis.get(0), fitSeconds, peakRssMb(),
                    rounded(forward), rounded(steps), loadAverage());
        }
    }

    /** Times each training iteration from start to done, in wall-clock and process CPU time. */
    private static final class StepTimer extends BaseListener {
        final List<Double> millis = new ArrayList<>();
        final List<Double> cpuMillis = new ArrayList<>();
        private long start;
        private double cpuStart;

        @Override
        public boolean isActive(Operation operation) {
            return operation == Operation.TRAINING;
        }

        @Override
        public void iterationStart(SameDiff sd, At at, org.nd4j.linalg.dataset.api.MultiDataSet data, long etlMs) {
            start = System.nanoTime();
            cpuStart = cpuSeconds();
        }

        @Override
        public void iterationDone(SameDiff sd, At at, org.nd4j.linalg.dataset.api.MultiDataSet dataSet, Loss loss) {
            millis.add((System.nanoTime() - start) / 1e6);
            cpuMillis.add((cpuSeconds() - cpuStart) * 1e3);
        }
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static String rounded(List<Double> xs) {
        return Arrays.toString(xs.stream().mapToLong(Math::round).toArray());
    }

    /**
     * User + system CPU time of the whole process (native BLAS/OpenMP threads included), from /proc/self/stat in
     * clock ticks of 10 ms; NaN where unavailable. On a shared machine this moves less than wall-clock time.
     */
    static double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }

    /** Peak resident set size of this process (VmHWM), in MB; -1 where /proc is unavailable. */
    static long peakRssMb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }
}
