package dev.t2v.core.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A named parameter's shape and how it starts: the single source of truth for names, shapes and init. */
record ParamSpec(String name, long[] shape, Init init) {

    /** Initialisations, as in DiT's {@code initialize_weights}. */
    enum Init {
        /** Uniform(±sqrt(6 / (fanIn + fanOut))), fanOut = shape[0], fanIn = the rest (a conv viewed as a linear). */
        XAVIER_UNIFORM,
        /** Normal(0, 0.02), for the timestep MLP and learned position embeddings. */
        NORMAL_002,
        ZEROS,
        ONES
    }

    ParamSpec {
        shape = shape.clone();
    }

    long length() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " " + init;
    }

    /** A linear layer's weight [out, in] (PyTorch layout, xavier-uniform) and bias [out] (zeros). */
    static void linear(List<ParamSpec> specs, String prefix, long in, long out) {
        linear(specs, prefix, in, out, Init.XAVIER_UNIFORM);
    }

    /** A linear layer whose weight starts as {@code weightInit}; biases always start at zero. */
    static void linear(List<ParamSpec> specs, String prefix, long in, long out, Init weightInit) {
        specs.add(new ParamSpec(prefix + ".weight", new long[] {out, in}, weightInit));
        specs.add(new ParamSpec(prefix + ".bias", new long[] {out}, Init.ZEROS));
    }

    /** An affine LayerNorm's weight (ones) and bias (zeros). */
    static void layerNorm(List<ParamSpec> specs, String prefix, long dim) {
        specs.add(new ParamSpec(prefix + ".weight", new long[] {dim}, Init.ONES));
        specs.add(new ParamSpec(prefix + ".bias", new long[] {dim}, Init.ZEROS));
    }

    /**
     * Draws every parameter from {@code seed}: one {@link SplittableRandom} split per parameter in spec order, so a
     * parameter's values do not depend on how many draws the others took.
     */
    static Map<String, INDArray> initialise(List<ParamSpec> specs, long seed, DataType dtype) {
        SplittableRandom root = new SplittableRandom(seed);
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParamSpec spec : specs) {
            SplittableRandom rng = root.split();
            int n = Math.toIntExact(spec.length());
            double[] values = new double[n];
            switch (spec.init) {
                case XAVIER_UNIFORM -> {
                    long fanOut = spec.shape[0];
                    long fanIn = spec.length() / fanOut;
                    double bound = Math.sqrt(6.0 / (fanIn + fanOut));
                    for (int i = 0; i < n; i++) {
                        values[i] = rng.nextDouble(-bound, bound);
                    }
                }
                case NORMAL_002 -> {
                    for (int i = 0; i < n; i++) {
                        values[i] = 0.02 * rng.nextGaussian();
                    }
                }
                case ONES -> Arrays.fill(values, 1.0);
                case ZEROS -> {
                }
            }
            out.put(spec.name, Nd4j.create(values, spec.shape, DataType.DOUBLE).castTo(dtype));
        }
        return out;
    }
}
