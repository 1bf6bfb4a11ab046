package dev.t2v.core.diffusion;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Deterministic Gaussian noise from a caller's seeded generator (never ND4J's global random). */
public final class Noise {
    private Noise() {
    }

    /** A FLOAT array of standard normal values, filled in C order from {@code rng}. */
    public static INDArray gaussian(long[] shape, RandomGenerator rng) {
        return gaussian(shape, DataType.FLOAT, rng);
    }

    /**
     * An array of standard normal values of the given floating dtype, filled in C order from {@code rng}. The
     * values are drawn as doubles, so FLOAT and DOUBLE arrays from equal generators agree to float precision.
     */
    public static INDArray gaussian(long[] shape, DataType dtype, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        if (!dtype.isFPType()) {
            throw new IllegalArgumentException("noise dtype must be floating point, got " + dtype);
        }
        long length = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            length = Math.multiplyExact(length, d);
        }
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("noise shape too large: " + Arrays.toString(shape));
        }
        long[] s = shape.clone();
        if (dtype == DataType.FLOAT) {
            float[] buf = new float[(int) length];
            for (int i = 0; i < buf.length; i++) {
                buf[i] = (float) rng.nextGaussian();
            }
            return Nd4j.create(buf, s, 'c');
        }
        double[] buf = new double[(int) length];
        for (int i = 0; i < buf.length; i++) {
            buf[i] = rng.nextGaussian();
        }
        INDArray d = Nd4j.create(buf, s, 'c');
        return dtype == DataType.DOUBLE ? d : d.castTo(dtype);
    }
}
