package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.DenoiserConfig.Architecture;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Map;
import java.util.SplittableRandom;

/** Small configs, seeded inputs and weight randomisation shared by the model tests. */
final class ModelFixtures {
    private ModelFixtures() {
    }

    /** The SEED architecture at {@code tiny} sizes, so its tests are as fast as LATTE's. */
    static DenoiserConfig tinySeed() {
        return new DenoiserConfig(Architecture.SEED, 4, 8, 1, 2, 32, 2, 4, 4.0, 384, 16, false, false, 1e-5, 256);
    }

    /** One set of denoiser inputs. */
    record Batch(INDArray x, INDArray t, INDArray text, INDArray mask) {
        Batch withX(INDArray newX) {
            return new Batch(newX, t, text, mask);
        }

        Batch withText(INDArray newText, INDArray newMask) {
            return new Batch(x, t, newText, newMask);
        }

        Map<String, INDArray> feed() {
            return Map.of("x", x, "t", t, "text", text, "text_mask", mask);
        }

        INDArray forward(Denoiser m) {
            return m.forward(x, t, text, mask);
        }
    }

    /** Gaussian latents and text, timesteps spread over [0, 1000), all text tokens real. */
    static Batch batch(DenoiserConfig cfg, int b, int frames, int textLen, long seed, DataType dtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        int s = cfg.latentSize();
        INDArray x = gaussian(rng, dtype, b, frames, cfg.latentChannels(), s, s);
        double[] t = new double[b];
        for (int i = 0; i < b; i++) {
            t[i] = rng.nextInt(1000);
        }
        INDArray text = gaussian(rng, dtype, b, textLen, cfg.textDim());
        return new Batch(x, Nd4j.create(t, new long[] {b}, dtype), text, Nd4j.ones(dtype, b, textLen));
    }

    static INDArray gaussian(SplittableRandom rng, DataType dtype, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return Nd4j.create(v, shape, DataType.DOUBLE).castTo(dtype);
    }

    /**
     * Overwrites every parameter (the zero-initialised ones included) with N(0, std^2), in place, so that every path
     * through the graph carries signal. LayerNorm weights become 1 + noise.
     */
    static void randomise(Denoiser m, long seed, double std) {
        SplittableRandom rng = new SplittableRandom(seed);
        m.weights().forEach((name, w) -> {
            INDArray noise = gaussian(rng.split(), w.dataType(), w.shape()).muli(std);
            boolean lnWeight = name.matches(".*norm[^.]*\\.weight");
            w.assign(lnWeight ? noise.addi(1.0) : noise);
        });
    }
}
