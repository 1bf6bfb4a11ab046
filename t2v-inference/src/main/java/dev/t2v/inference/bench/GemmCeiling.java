package dev.t2v.inference.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The machine's attainable matrix-product rate: {@code Nd4j.gemm} of a token matrix [M,K] by a PyTorch-layout weight
 * [N,K]^T into a preallocated output, at the linear-layer shapes of the presets. The ceiling is the best of the
 * per-shape medians, so MFU figures against it are conservative.
 */
final class GemmCeiling {
    /** A product shape: tokens {@code m}, input width {@code k}, output width {@code n}, and where it comes from. */
    record Shape(String label, int m, int k, int n) {
        double gflop() {
            return 2.0 * m * k * n / 1e9;
        }
    }

    /** One shape's result. */
    record Result(Shape shape, double medianMs, double gflops) {
    }

    /** The demo's qkv and fc1 (batch 8 x 8 frames x 64 tokens) and base's qkv and fc2 (batch 1 x 8 x 256 tokens). */
    static List<Shape> modelShapes() {
        return List.of(new Shape("demo qkv", 4096, 256, 768), new Shape("demo mlp.fc1", 4096, 256, 1024),
                new Shape("base qkv", 2048, 768, 2304), new Shape("base mlp.fc2", 2048, 3072, 768));
    }

    private GemmCeiling() {
    }

    /** Measures every shape: a warm-up product, then {@code reps} timed ones (at least about half a second each). */
    static List<Result> measure(List<Shape> shapes, int reps) {
        List<Result> out = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(7);
        for (Shape s : shapes) {
            INDArray a = random(rng, s.m(), s.k());
            INDArray w = random(rng, s.n(), s.k());
            INDArray c = Nd4j.create(DataType.FLOAT, s.m(), s.n());
            Nd4j.gemm(a, w, c, false, true, 1.0, 0.0); // warm-up: first-touch of c, BLAS thread start
            List<Double> ms = new ArrayList<>();
            long until = System.nanoTime() + 500_000_000L;
            for (int i = 0; i < reps || System.nanoTime() < until && i < 50; i++) {
                long t0 = System.nanoTime();
                Nd4j.gemm(a, w, c, false, true, 1.0, 0.0);
                ms.add((System.nanoTime() - t0) / 1e6);
            }
            double median = Measure.median(ms);
            out.add(new Result(s, median, s.gflop() / (median / 1e3)));
            a.close();
            w.close();
            c.close();
        }
        return out;
    }

    private static INDArray random(SplittableRandom rng, int rows, int cols) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() - 0.5);
        }
        return Nd4j.create(v, new long[] {rows, cols}, DataType.FLOAT);
    }
}
