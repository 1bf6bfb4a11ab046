package dev.t2v.data.preprocess;

import dev.t2v.data.encode.LatentCodec;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.core.io.ResourceCache;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.encode.TextEncoders;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The text encoder and codec of a preprocessing run, as files, and the one way they are opened: {@code t2v preprocess}
 * and every task of the Spark job open them here, so both engines write the same bytes.
 *
 * <p>Each model runs on one ONNX Runtime thread per call ({@link #INTRA_OP_THREADS}). Parallelism comes from the
 * workers (local threads or Spark task slots) each running the models on its own video; more threads per call would
 * oversubscribe the cores, and a setting that does not follow the worker count keeps the output bytes the same
 * whatever that count is.
 *
 * @param textModel the ONNX text model, or {@code null} for the bundled all-MiniLM-L6-v2
 * @param tokenizer its {@code tokenizer.json} ({@code null} exactly when {@code textModel} is)
 * @param maxTokens tokens kept per caption, special tokens included
 * @param vaeDir a VAE folder ({@link OnnxVae#fromDirectory}), or {@code null} when the two files are given
 * @param vaeEncoder the VAE encoder model ({@code null} with {@code vaeDir})
 * @param vaeDecoder the VAE decoder model, or {@code null} (with {@code vaeDir}, or for an encoder-only VAE); it is
 *     part of the codec's id, so it must be the one the data will be decoded with
 * @param scalingFactor latents are the VAE's mean times this
 */
public record PreprocessModels(Path textModel, Path tokenizer, int maxTokens, Path vaeDir, Path vaeEncoder,
        Path vaeDecoder, double scalingFactor) {
    public static final int INTRA_OP_THREADS = 1;

    public PreprocessModels {
        if ((textModel == null) != (tokenizer == null)) {
            throw new IllegalArgumentException("a text model needs its tokenizer.json, and a tokenizer its model");
        }
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be >= 2, got " + maxTokens);
        }
        if (vaeDir != null && (vaeEncoder != null || vaeDecoder != null)) {
            throw new IllegalArgumentException("give either a VAE folder or its model files, not both");
        }
        if (vaeDir == null && vaeEncoder == null) {
            throw new IllegalArgumentException("preprocessing needs a VAE encoder: give a VAE folder or its files");
        }
        if (!(scalingFactor > 0) || Double.isInfinite(scalingFactor)) {
            throw new IllegalArgumentException("scalingFactor must be > 0, got " + scalingFactor);
        }
    }

    /** The bundled MiniLM text encoder and the VAE in {@code vaeDir}. */
    public static PreprocessModels miniLm(int maxTokens, Path vaeDir, double scalingFactor) {
        return new PreprocessModels(null, null, maxTokens, vaeDir, null, null, scalingFactor);
    }

    /** These models with the text model and VAE files elsewhere (e.g. where Spark put its copies). */
    public PreprocessModels withFiles(Path newTextModel, Path newTokenizer, Path newVaeEncoder, Path newVaeDecoder) {
        return new PreprocessModels(newTextModel, newTokenizer, maxTokens, null, newVaeEncoder, newVaeDecoder,
                scalingFactor);
    }

    /** The codec's downsample, known before it opens: {@link #openCodec} uses Stable Diffusion's. */
    public int downsample() {
        return OnnxVae.SD_DOWNSAMPLE;
    }

    /** Opens the text encoder; the bundled MiniLM is extracted under {@link ResourceCache#root()}. */
    public TextEncoder openText() throws IOException {
        return openText(ResourceCache.root());
    }

    /** Opens the text encoder; the bundled MiniLM is extracted under {@code cacheRoot}. */
    public TextEncoder openText(Path cacheRoot) throws IOException {
        if (textModel == null) {
            return TextEncoders.defaultMiniLm(maxTokens, cacheRoot, INTRA_OP_THREADS);
        }
        return OnnxTextEncoder.open(tokenizer, textModel,
                new OnnxTextEncoder.Options(maxTokens, null, null, false, INTRA_OP_THREADS));
    }

    /** Opens the codec with Stable Diffusion's conventions (8x downsample, 4 latent channels) and the scaling factor. */
    public OnnxVae openCodec() throws IOException {
        OnnxVae.Options options = new OnnxVae.Options(scalingFactor, OnnxVae.DEFAULT_CHUNK_SIZE, downsample(),
                OnnxVae.SD_LATENT_CHANNELS, INTRA_OP_THREADS);
        return vaeDir != null ? OnnxVae.fromDirectory(vaeDir, options) : OnnxVae.open(vaeEncoder, vaeDecoder, options);
    }
}
