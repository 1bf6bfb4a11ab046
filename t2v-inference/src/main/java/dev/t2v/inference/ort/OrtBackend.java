package dev.t2v.inference.ort;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.inference.Backend;
import dev.t2v.inference.DenoiserBackend;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Runs the denoiser on ONNX Runtime from an export of the bundle's weights, which it owns. The export is made once per
 * weights file and kept in {@link OnnxDenoiserCache}, so only the first run pays for it.
 */
public final class OrtBackend implements DenoiserBackend {
    private final OrtDenoiser denoiser;

    public OrtBackend(OrtDenoiser denoiser) {
        this.denoiser = Objects.requireNonNull(denoiser, "denoiser");
    }

    /**
     * Exports (or finds in the cache) the weights file for {@code config}, and opens it on the CUDA provider when this
     * build has it, else on the CPU.
     */
    public static OrtBackend open(DenoiserConfig config, Path weightsFile) throws IOException {
        OrtOptions options = OrtOptions.forDevice(OrtDenoiser.cudaAvailable() ? OrtDevice.CUDA : OrtDevice.CPU);
        return open(config, weightsFile, options, OnnxDenoiserCache.defaultDir());
    }

    /** Exports (or finds in {@code cacheDir}) the weights file in the options' precision and opens it. */
    public static OrtBackend open(DenoiserConfig config, Path weightsFile, OrtOptions options, Path cacheDir)
            throws IOException {
        Path file = OnnxDenoiserCache.exportWeightsFile(config, weightsFile, options.precision(), cacheDir);
        return new OrtBackend(OrtDenoiser.open(file, config, options));
    }

    @Override
    public DenoiserConfig config() {
        return denoiser.config();
    }

    @Override
    public INDArray predict(INDArray x, INDArray t, INDArray text, INDArray mask) {
        return denoiser.predict(x, t, text, mask);
    }

    @Override
    public Backend kind() {
        return Backend.ORT;
    }

    @Override
    public void close() {
        denoiser.close();
    }
}
