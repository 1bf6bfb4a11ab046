package dev.t2v.data.encode;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Maps frames to diffusion latents and back, in the Stable Diffusion convention: latents are the autoencoder's latent
 * (mean) multiplied by {@link #scalingFactor()}, so that they have roughly unit variance.
 */
public interface LatentCodec extends AutoCloseable {
    /** Frames {@code [N,3,H,W]} in [-1, 1] to latents {@code [N,C,H/d,W/d]} times the scaling factor. */
    INDArray encode(INDArray frames);

    /** Latents {@code [N,C,h,w]} (scaled) to frames {@code [N,3,h*d,w*d]}, roughly in [-1, 1] and not clamped. */
    INDArray decode(INDArray latents);

    double scalingFactor();

    /** C, the latent channel count (4 for Stable Diffusion's VAE). */
    int latentChannels();

    /** d, the spatial downsampling factor (8 for Stable Diffusion's VAE). */
    int downsample();

    /** A stable identifier for provenance: the same model files and scaling factor give the same id. */
    String id();

    @Override
    void close();
}
