package dev.t2v.inference;

import dev.t2v.core.config.DenoiserConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the pipeline runs the denoiser through, so that the graph runtime can change (SameDiff today, ONNX Runtime
 * later) without the sampling loop knowing. Implementations own their native resources; not thread-safe.
 */
public interface DenoiserBackend extends AutoCloseable {
    /** The architecture and sizes of the model behind this backend (latent shape, window, text width). */
    DenoiserConfig config();

    /**
     * One forward pass.
     *
     * @param x    latents {@code [B,F,C,h,w]} FLOAT
     * @param t    timesteps {@code [B]} FLOAT, one per sample
     * @param text text tokens {@code [B,T,D]} FLOAT, {@code T <= config().maxTextTokens()}
     * @param mask {@code [B,T]} FLOAT, 1 for real tokens and 0 for padding (padding has no effect)
     * @return the model output (noise, v or x0 as trained) {@code [B,F,C,h,w]}
     */
    INDArray predict(INDArray x, INDArray t, INDArray text, INDArray mask);

    /** Which runtime this is, for messages and benchmarks. */
    Backend kind();

    @Override
    void close();
}
