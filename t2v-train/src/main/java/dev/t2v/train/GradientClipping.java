package dev.t2v.train;

import java.util.Collection;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Global-norm gradient clipping, as PyTorch's {@code clip_grad_norm_}. */
public final class GradientClipping {
    /** Added to the norm before dividing, as PyTorch does, so a norm at the limit is not amplified by rounding. */
    static final double NORM_EPSILON = 1e-6;

    private GradientClipping() {
    }

    /** √(Σ‖g‖²) over all gradients, in double; NaN or ∞ if any value is. */
    public static double globalNorm(Collection<INDArray> grads) {
        double sum = 0;
        for (INDArray g : grads) {
            double n = g.norm2Number().doubleValue();
            sum += n * n;
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales every gradient in place by {@code maxNorm / (norm + 1e-6)} when the global norm exceeds {@code maxNorm}
     * (direction unchanged); {@code maxNorm} 0 disables it. A non-finite norm is left alone for the caller to skip.
     *
     * @return the global norm before clipping
     */
    public static double clip(Collection<INDArray> grads, double maxNorm) {
        double norm = globalNorm(grads);
        if (maxNorm > 0 && Double.isFinite(norm) && norm > maxNorm) {
            double scale = maxNorm / (norm + NORM_EPSILON);
            grads.forEach(g -> g.muli(scale));
        }
        return norm;
    }
}
