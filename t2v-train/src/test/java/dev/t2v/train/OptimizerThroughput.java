package dev.t2v.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the optimiser part of a training step (clipping, AdamW, EMA) over 7.9 M parameters in 160 tensors, about
 * the demo preset's: the median of 12 steps after 3 warm-ups. Run as {@link TrainThroughput} is, with this class.
 */
public final class OptimizerThroughput {
    private OptimizerThroughput() {
    }

    public static void main(String[] args) {
        Nd4j.getRandom().setSeed(1);
        Map<String, INDArray> params = new LinkedHashMap<>();
        Map<String, INDArray> grads = new LinkedHashMap<>();
        for (int i = 0; i < 80; i++) {
            params.put("b" + i + ".weight", Nd4j.rand(DataType.FLOAT, 256, 384));
            grads.put("b" + i + ".weight", Nd4j.rand(DataType.FLOAT, 256, 384));
            params.put("b" + i + ".bias", Nd4j.rand(DataType.FLOAT, 384));
            grads.put("b" + i + ".bias", Nd4j.rand(DataType.FLOAT, 384));
        }
        AdamW adam = new AdamW(new AdamW.Hyper(0.9, 0.999, 1e-8, 0.01), params);
        Ema ema = new Ema(0.999, params);
        double[] ms = new double[15];
        for (int t = 1; t <= ms.length; t++) {
            long s = System.nanoTime();
            GradientClipping.clip(grads.values(), 1.0);
            adam.step(params, grads, 1e-4, t);
            ema.update(params, t - 1);
            ms[t - 1] = (System.nanoTime() - s) / 1e6;
        }
        double[] timed = Arrays.copyOfRange(ms, 3, ms.length);
        Arrays.sort(timed);
        System.out.printf(Locale.ROOT, "clip + AdamW + EMA over %.2fM parameters: median %.1f ms%n",
                params.values().stream().mapToLong(INDArray::length).sum() / 1e6, timed[timed.length / 2]);
    }
}
