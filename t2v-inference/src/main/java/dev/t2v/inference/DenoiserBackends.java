package dev.t2v.inference;

import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.Denoiser;
import dev.t2v.inference.ort.OrtBackend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/** Opens the denoiser of a model bundle on a chosen {@link Backend}. */
public final class DenoiserBackends {
    private DenoiserBackends() {
    }

    /**
     * Opens the denoiser stored in {@code bundleDir} for {@code config}; the caller owns (and closes) the result.
     *
     * @throws IOException                   when the weights cannot be read
     * @throws IllegalArgumentException      naming the file when the weights do not fit the config
     */
    public static DenoiserBackend open(Backend backend, Path bundleDir, DenoiserConfig config) throws IOException {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(config, "config");
        Path weights = bundleDir.resolve(ModelBundle.DENOISER_FILE);
        if (!Files.isRegularFile(weights)) {
            throw new NoSuchFileException(weights.toString(), null, "no denoiser weights in the model bundle");
        }
        return switch (backend) {
            case SAMEDIFF -> new SameDiffBackend(Denoiser.load(config, weights));
            case ORT -> OrtBackend.open(config, weights);
        };
    }
}
