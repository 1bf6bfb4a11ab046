package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.ModelFixtures.Batch;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.adapter.SingletonMultiDataSetIterator;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a denoiser's time goes, op by op: a SameDiff listener times every op execution (from {@code preOpExecution} to
 * {@code opExecution}) and sums by op type; the time outside any op is the session's own overhead (dependency
 * tracking, array allocation and release, listener calls).
 *
 * <pre>
 * OMP_WAIT_POLICY=PASSIVE OPENBLAS_THREAD_TIMEOUT=4 java -Xmx12g \
 *   -cp t2v-core/target/classes:t2v-core/target/test-classes:$(cat t2v-core/target/cp.txt) \
 *   dev.t2v.core.model.OpProfile PRESET BATCH [RUNS] [--train]
 * </pre>
 */
public final class OpProfile {
    private OpProfile() {
    }

    public static void main(String[] args) {
        DenoiserConfig cfg = DenoiserConfig.preset(args[0]);
        int batchSize = Integer.parseInt(args[1]);
        int runs = args.length > 2 && !args[2].startsWith("--") ? Integer.parseInt(args[2]) : 2;
        boolean train = Arrays.asList(args).contains("--train");
        try (Denoiser m = Denoiser.create(cfg, 1)) {
            ModelFixtures.randomise(m, 2, 0.02);
            Batch batch = ModelFixtures.batch(cfg, batchSize, cfg.frames(), cfg.maxTextTokens(), 3, DataType.FLOAT);
            Timer timer = new Timer();
            SameDiff sd = m.sameDiff();
            batch.forward(m).close(); // warm-up without the listener
            if (!train) {
                sd.setListeners(timer);
                for (int i = 0; i < runs; i++) {
                    timer.reset();
                    long t0 = System.nanoTime();
                    long[] f0 = faultsAndCpu();
                    batch.forward(m).close();
                    timer.report("forward", (System.nanoTime() - t0) / 1e6);
                    printFaults(f0);
                }
                return;
            }
            new TrainingHarness(m, 1e-4);
            MultiDataSet data = new MultiDataSet(new INDArray[] {batch.x(), batch.t(), batch.text(), batch.mask()},
                    new INDArray[] {batch.x().dup()});
            sd.fit(new SingletonMultiDataSetIterator(data), 1); // builds the gradient graph
            sd.setListeners(timer);
            for (int i = 0; i < runs; i++) {
                timer.reset();
                long t0 = System.nanoTime();
                long[] f0 = faultsAndCpu();
                sd.fit(new SingletonMultiDataSetIterator(data), 1);
                timer.report("train step", (System.nanoTime() - t0) / 1e6);
                printFaults(f0);
            }
        }
    }

    /** Minor page faults, user and system CPU ticks (10 ms) of this process, from /proc/self/stat. */
    static long[] faultsAndCpu() {
        try {
            String st = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[7]), Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (java.io.IOException e) {
            return new long[3];
        }
    }

    static void printFaults(long[] before) {
        long[] after = faultsAndCpu();
        System.out.printf(Locale.ROOT, "  minor page faults %d (%.0f MB touched fresh), user %d ms, system %d ms%n",
                after[0] - before[0], (after[0] - before[0]) * 4 / 1024.0, (after[1] - before[1]) * 10,
                (after[2] - before[2]) * 10);
    }

    static final class Timer extends BaseListener {
        private final Map<String, double[]> byType = new HashMap<>(); // type -> {millis, count}
        private long start;

        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        void reset() {
            byType.clear();
        }

        @Override
        public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
            start = System.nanoTime();
        }

        @Override
        public void opExecution(SameDiff sd, At at, org.nd4j.linalg.dataset.api.MultiDataSet batch, SameDiffOp op,
                                OpContext opContext, INDArray[] outputs) {
            double ms = (System.nanoTime() - start) / 1e6;
            String type = op.getOp().opName();
            if (outputs != null && outputs.length > 0 && outputs[0] != null) {
                if (type.equals("matmul") || type.equals("add_bp") || type.equals("matmul_bp") || type.equals("multiply_bp")) {
                    // by input shapes: linears are rank 2, attention products rank 4
                    INDArray a = opContext.getInputArrays().get(0), b = opContext.getInputArrays().get(1);
                    type += " " + Arrays.toString(a.shape()) + layout(a) + "x" + Arrays.toString(b.shape()) + layout(b);
                } else if (outputs[0].length() >= 1 << 18) {
                    type += " (big)"; // outputs of >= 256k elements: the token matrices and larger
                }
            }
            double[] acc = byType.computeIfAbsent(type, k -> new double[2]);
            acc[0] += ms;
            acc[1]++;
        }

        /** "" for a row-major array with default strides, else its strides. */
        private static String layout(INDArray a) {
            return org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a) && a.ordering() == 'c' ? ""
                    : a.ordering() + Arrays.toString(a.stride());
        }

        void report(String what, double wallMs) {
            double inOps = byType.values().stream().mapToDouble(a -> a[0]).sum();
            long ops = Math.round(byType.values().stream().mapToDouble(a -> a[1]).sum());
            System.out.printf(Locale.ROOT, "%s: wall %.0f ms, in %d ops %.0f ms, outside ops %.0f ms%n",
                    what, wallMs, ops, inOps, wallMs - inOps);
            List<Map.Entry<String, double[]>> rows = byType.entrySet().stream()
                    .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).toList();
            for (Map.Entry<String, double[]> e : rows) {
                if (e.getValue()[0] < wallMs * 0.005) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "  %-34s %7.1f ms %5.1f%%  x%d%n", e.getKey(), e.getValue()[0],
                        100 * e.getValue()[0] / wallMs, Math.round(e.getValue()[1]));
            }
        }
    }
}
