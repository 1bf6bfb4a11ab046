package dev.t2v.core.diffusion;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** Classifier-free guidance (Ho &amp; Salimans 2022) with optional guidance rescale (Lin et al. 2023, §3.4). */
public final class Guidance {
    private Guidance() {
    }

    /**
     * g = uncond + scale·(cond − uncond). With {@code rescale} φ &gt; 0, each sample is then pulled back towards the
     * conditional prediction's spread: g ← φ·g·std(cond)/std(g) + (1−φ)·g, std being the unbiased standard
     * deviation over all but the first (batch) dimension, as diffusers' {@code rescale_noise_cfg}. A sample whose
     * guided output is constant is left unscaled. Returns a new array in cond's dtype.
     *
     * @param scale   guidance scale (1 = conditional only, 0 = unconditional only); finite
     * @param rescale φ in [0, 1]; 0 turns rescaling off (0.7 is the paper's choice)
     */
    public static INDArray apply(INDArray cond, INDArray uncond, double scale, double rescale) {
        if (!Arrays.equals(cond.shape(), uncond.shape())) {
            throw new IllegalArgumentException("cond and uncond shapes differ: " + Arrays.toString(cond.shape())
                    + " vs " + Arrays.toString(uncond.shape()));
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("guidance scale must be finite, got " + scale);
        }
        if (!(rescale >= 0 && rescale <= 1)) {
            throw new IllegalArgumentException("guidance rescale must be in [0, 1], got " + rescale);
        }
        INDArray u = uncond.castTo(cond.dataType());
        INDArray guided = u.add(cond.sub(u).muli(scale));
        if (rescale == 0) {
            return guided;
        }
        if (cond.rank() < 2 || cond.length() / cond.size(0) < 2) {
            throw new IllegalArgumentException("guidance rescale needs at least 2 values per sample, shape "
                    + Arrays.toString(cond.shape()));
        }
        double[] stdCond = perSampleStd(cond);
        double[] stdGuided = perSampleStd(guided);
        double[] factor = new double[stdCond.length];
        for (int i = 0; i < factor.length; i++) {
            double ratio = stdGuided[i] > 0 ? stdCond[i] / stdGuided[i] : 1;
            // φ·g·ratio + (1−φ)·g = g·(φ·ratio + 1 − φ)
            factor[i] = rescale * ratio + (1 - rescale);
        }
        return Tensors.perSampleScale(guided, factor);
    }

    private static double[] perSampleStd(INDArray x) {
        // [B,...] -> [B, rest], in double so the ratio does not lose float precision
        return x.castTo(DataType.DOUBLE).reshape('c', x.size(0), -1).std(true, 1).toDoubleVector();
    }
}
