package dev.t2v.train;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An exponential moving average of the weights, the weights a bundle ships: {@code s ← d·s + (1−d)·w} after each
 * applied update, with the decay warmed up as {@code d = min(maxDecay, (1 + u) / (10 + u))} for the u-th update
 * (0-based), as diffusers' EMAModel does, so that early on the average follows the fast-changing weights.
 */
public final class Ema {
    private final double maxDecay;
    private final Map<String, INDArray> shadow = new LinkedHashMap<>();

    /** Starts the average at the given weights (copied). */
    public Ema(double maxDecay, Map<String, INDArray> weights) {
        if (!(maxDecay >= 0 && maxDecay < 1)) {
            throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + maxDecay);
        }
        this.maxDecay = maxDecay;
        weights.forEach((k, w) -> shadow.put(k, w.dup('c')));
    }

    /** The decay used for the {@code update}-th update (0-based). */
    public static double decay(double maxDecay, long update) {
        return Math.min(maxDecay, (1.0 + update) / (10.0 + update));
    }

    /** Folds the current weights in, as the {@code update}-th update (0-based). */
    public void update(Map<String, INDArray> weights, long update) {
        double d = decay(maxDecay, update);
        // s ← d·s, then s += (1−d)·w as BLAS axpy: two passes and no temporary per tensor.
        shadow.forEach((k, s) -> {
            INDArray w = weights.get(k);
            Nd4j.getBlasWrapper().level1().axpy(s.length(), 1 - d, w, s.muli(d));
        });
    }

    /** The averaged weights: live arrays. */
    public Map<String, INDArray> weights() {
        return Collections.unmodifiableMap(shadow);
    }

    /** Replaces the average with saved values (same names and shapes). */
    public void load(Map<String, INDArray> saved) {
        for (Map.Entry<String, INDArray> e : shadow.entrySet()) {
            INDArray s = saved.get(e.getKey());
            if (s == null || !Arrays.equals(s.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("EMA weight '" + e.getKey() + "' is "
                        + (s == null ? "missing" : "shaped " + Arrays.toString(s.shape())));
            }
            e.getValue().assign(s.castTo(e.getValue().dataType()));
        }
    }
}
