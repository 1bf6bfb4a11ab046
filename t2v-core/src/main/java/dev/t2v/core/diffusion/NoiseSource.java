package dev.t2v.core.diffusion;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.SplittableRandom;

/**
 * Where a stochastic scheduler gets its Gaussian noise. Production code uses {@link #seeded(long)}; tests inject a
 * fixed sequence to compare with a reference implementation draw for draw.
 */
@FunctionalInterface
public interface NoiseSource {
    /** A new array of standard normal values with this shape and dtype. */
    INDArray next(long[] shape, DataType dtype);

    /**
     * Deterministic noise: each draw uses a fresh generator split from one {@link SplittableRandom} seeded with
     * {@code seed}, so the same seed gives the same sequence of arrays bit for bit.
     */
    static NoiseSource seeded(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        return (shape, dtype) -> Noise.gaussian(shape, dtype, root.split());
    }
}
