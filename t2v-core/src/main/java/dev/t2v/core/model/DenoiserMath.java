package dev.t2v.core.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixed numbers of the denoiser graphs: what another runtime (the ONNX export in t2v-inference) must reproduce to
 * compute the same function as the SameDiff graphs. One source, so the two cannot drift apart.
 */
public final class DenoiserMath {
    /**
     * Added to the attention scores of masked text tokens. exp(-1e9 - max) underflows to exactly 0 in float and
     * double, so a masked token's value is multiplied by exactly zero.
     */
    public static final double MASK_BIAS = -1e9;
    /** DiT's max_period for sinusoidal timestep and position embeddings. */
    public static final double MAX_PERIOD = 10_000.0;
    /**
     * tanh-GELU as {@code x * sigmoid(x * (GELU_A + GELU_B x^2))}: {@code 0.5 (1 + tanh(z)) = sigmoid(2z)} with
     * {@code z = sqrt(2/pi) (x + 0.044715 x^3)}, so {@code GELU_A = 2 sqrt(2/pi)} and {@code GELU_B = 0.044715 GELU_A}.
     */
    public static final double GELU_A = 2 * Math.sqrt(2 / Math.PI);
    public static final double GELU_B = 0.044715 * GELU_A;

    private DenoiserMath() {
    }

    /**
     * Frequencies of DiT's sinusoidal timestep embedding of width {@code dim}: f_i = exp(-ln(10000) · i / (dim/2)),
     * i &lt; dim/2; the embedding is [cos(t·f), sin(t·f)].
     */
    public static double[] timestepFrequencies(int dim) {
        int half = dim / 2;
        double[] freqs = new double[half];
        for (int i = 0; i < half; i++) {
            freqs[i] = Math.exp(-Math.log(MAX_PERIOD) * i / half);
        }
        return freqs;
    }

    /**
     * Frequencies of DiT's 1D sin-cos position embedding of width {@code dim}: ω_i = 1 / 10000^(i / (dim/2)); the
     * embedding of position f is [sin(f·ω), cos(f·ω)].
     */
    public static double[] positionFrequencies(int dim) {
        int half = dim / 2;
        double[] omega = new double[half];
        for (int i = 0; i < half; i++) {
            omega[i] = 1.0 / Math.pow(MAX_PERIOD, (double) i / half);
        }
        return omega;
    }

    /**
     * DiT's fixed 2D sin-cos position embedding for a {@code grid x grid} token grid (row-major tokens), [N, dim]
     * DOUBLE: the first half encodes the column, the second half the row, each as [sin(pos·ω), cos(pos·ω)].
     */
    public static INDArray sinCos2d(int dim, int grid) {
        int half = dim / 2;
        double[] omega = positionFrequencies(half);
        int q = omega.length;
        double[][] out = new double[grid * grid][dim];
        for (int row = 0; row < grid; row++) {
            for (int col = 0; col < grid; col++) {
                double[] e = out[row * grid + col];
                for (int i = 0; i < q; i++) {
                    e[i] = Math.sin(col * omega[i]);
                    e[q + i] = Math.cos(col * omega[i]);
                    e[half + i] = Math.sin(row * omega[i]);
                    e[half + q + i] = Math.cos(row * omega[i]);
                }
            }
        }
        return Nd4j.create(out);
    }
}
