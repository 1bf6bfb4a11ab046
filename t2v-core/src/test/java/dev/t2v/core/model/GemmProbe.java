package dev.t2v.core.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;
import java.util.Map;

/** Scratch: batched matmul variants at the demo's attention shapes. */
public final class GemmProbe {
    public static void main(String[] args) {
        int reps = 10;
        for (int round = 0; round < 2; round++) {
            batched("spatial QK^T r4", new long[] {64, 4, 64, 64}, new long[] {64, 4, 64, 64}, true, reps);
            batched("spatial QK   r4 (K pre-T)", new long[] {64, 4, 64, 64}, new long[] {64, 4, 64, 64}, false, reps);
            batched("spatial QK^T r3", new long[] {256, 64, 64}, new long[] {256, 64, 64}, true, reps);
            batched("spatial QK   r3", new long[] {256, 64, 64}, new long[] {256, 64, 64}, false, reps);
            batched("cross QK^T r4", new long[] {8, 4, 512, 64}, new long[] {8, 4, 32, 64}, true, reps);
            batched("cross QK   r4", new long[] {8, 4, 512, 64}, new long[] {8, 4, 64, 32}, false, reps);
            batched("cross QK^T r3", new long[] {32, 512, 64}, new long[] {32, 32, 64}, true, reps);
            batched("cross AV r4", new long[] {8, 4, 512, 32}, new long[] {8, 4, 32, 64}, false, reps);
            batched("temporal QK^T r4", new long[] {512, 4, 8, 64}, new long[] {512, 4, 8, 64}, true, reps);
            batched("temporal AV r4", new long[] {512, 4, 8, 8}, new long[] {512, 4, 8, 64}, false, reps);
        }
    }

    static void batched(String label, long[] a, long[] b, boolean tb, int reps) {
        INDArray x = Nd4j.rand(DataType.FLOAT, a);
        INDArray y = Nd4j.rand(DataType.FLOAT, b);
        int r = a.length;
        long m = a[r - 2], k = a[r - 1], n = tb ? b[r - 2] : b[r - 1];
        long batch = 1;
        for (int i = 0; i < r - 2; i++) {
            batch *= a[i];
        }
        double gf = 2.0 * batch * m * n * k / 1e9;
        SameDiff sd = SameDiff.create();
        SDVariable px = sd.placeHolder("a", DataType.FLOAT, a);
        SDVariable py = sd.placeHolder("b", DataType.FLOAT, b);
        sd.mmul(px, py, false, tb, false).rename("o");
        Map<String, INDArray> feed = Map.of("a", x, "b", y);
        time(label + " sd", gf, reps, () -> sd.output(feed, "o").get("o").close());
        time(label + " Mmul op", gf, reps, () -> Nd4j.exec(new Mmul(x, y, false, tb, false))[0].close());
    }

    static void time(String label, double gflop, int reps, Runnable r) {
        r.run();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            r.run();
        }
        double s = (System.nanoTime() - t0) / 1e9 / reps;
        System.out.printf(Locale.ROOT, "%-34s %7.2f ms %6.1f GFLOP/s%n", label, s * 1e3, gflop / s);
    }
}
