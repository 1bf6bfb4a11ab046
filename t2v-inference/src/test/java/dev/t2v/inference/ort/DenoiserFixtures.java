package dev.t2v.inference.ort;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.diffusion.Noise;
import dev.t2v.core.model.Denoiser;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

/** Denoisers with every weight random (the zero-initialised ones too, so every path carries signal), and inputs. */
final class DenoiserFixtures {
    private DenoiserFixtures() {
    }

    /** The SEED architecture at tiny sizes. */
    static DenoiserConfig tinySeed() {
        return new DenoiserConfig(DenoiserConfig.Architecture.SEED, 4, 8, 1, 2, 32, 2, 4, 4.0, 384, 16, false, true,
                1e-5, 256);
    }

    /** A FLOAT model whose weights are all N(0, std^2) (LayerNorm scales 1 + noise), drawn from {@code seed}. */
    static Denoiser randomModel(DenoiserConfig cfg, long seed, double std) {
        Denoiser m = Denoiser.create(cfg, seed);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        m.weights().forEach((name, w) -> {
            INDArray noise = Noise.gaussian(w.shape(), rng.split()).muli(std);
            w.assign(name.matches(".*norm[^.]*\\.weight") ? noise.addi(1.0) : noise);
        });
        return m;
    }

    record Inputs(INDArray x, INDArray t, INDArray text, INDArray mask) {
    }

    /**
     * B samples of F frames and T text tokens; sample 1 (if any) has only its first T/2 tokens real, sample 2 (if any)
     * none, the rest all.
     */
    static Inputs inputs(DenoiserConfig cfg, int b, int frames, int textLen, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int s = cfg.latentSize();
        INDArray x = Noise.gaussian(new long[] {b, frames, cfg.latentChannels(), s, s}, rng);
        double[] t = new double[b];
        for (int i = 0; i < b; i++) {
            t[i] = rng.nextInt(1000);
        }
        INDArray text = Noise.gaussian(new long[] {b, textLen, cfg.textDim()}, rng);
        INDArray mask = Nd4j.ones(DataType.FLOAT, b, textLen);
        for (int i = 0; i < b; i++) {
            int real = i == 1 ? Math.max(1, textLen / 2) : i == 2 ? 0 : textLen;
            for (int j = real; j < textLen; j++) {
                mask.putScalar(i, j, 0);
            }
        }
        return new Inputs(x, Nd4j.create(t, new long[] {b}, DataType.FLOAT), text, mask);
    }


    /** max |a - b| / max |b|: the error relative to the reference's scale. */
    static double relativeError(INDArray actual, INDArray reference) {
        double scale = Math.max(reference.amaxNumber().doubleValue(), 1e-30);
        return actual.castTo(DataType.DOUBLE).sub(reference.castTo(DataType.DOUBLE)).amaxNumber().doubleValue() / scale;
    }
}
