package dev.t2v.inference;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.Denoiser;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/** Runs a SameDiff {@link Denoiser}, which it owns: closing the backend closes the model. */
public final class SameDiffBackend implements DenoiserBackend {
    private final Denoiser denoiser;

    public SameDiffBackend(Denoiser denoiser) {
        this.denoiser = Objects.requireNonNull(denoiser, "denoiser");
    }

    @Override
    public DenoiserConfig config() {
        return denoiser.config();
    }

    @Override
    public INDArray predict(INDArray x, INDArray t, INDArray text, INDArray mask) {
        return denoiser.forward(x, t, text, mask);
    }

    @Override
    public Backend kind() {
        return Backend.SAMEDIFF;
    }

    @Override
    public void close() {
        denoiser.close();
    }
}
