package dev.t2v.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The denoiser's architecture and sizes: everything needed to build the graph and to name and shape its weights.
 *
 * <p>Latents are {@code [B, F, C, H, W]} with {@code H = W = latentSize}; each frame is cut into
 * {@code (latentSize / patchSize)^2} patch tokens of width {@code hiddenSize}. {@code frames} is the window the model
 * is trained on; the graphs accept any frame count (F = 1 is image mode). Text is {@code [B, T, textDim]} with
 * {@code T <= maxTextTokens}.
 *
 * <p>Named presets live in one registry: {@link #preset(String)}, {@link #presetNames()}. JSON field names are
 * snake_case ({@link #toJson()}, {@link #fromJson(String)}).
 *
 * @param architecture          which graph: {@link Architecture#LATTE} (DiT blocks with factorised space/time
 *                              attention) or {@link Architecture#SEED} (the seed project's plain transformer)
 * @param latentChannels        C, channels of the VAE latent
 * @param latentSize            H = W of the latent
 * @param frames                F, the trained window (1 = image model)
 * @param patchSize             p, square patch side in latent pixels
 * @param hiddenSize            D, token width
 * @param depth                 number of blocks
 * @param numHeads              attention heads; {@code hiddenSize / numHeads} dims each
 * @param mlpRatio              feed-forward hidden width = {@code (int) (hiddenSize * mlpRatio)} (as timm)
 * @param textDim               width of the text encoder's token embeddings
 * @param maxTextTokens         longest text the model accepts
 * @param temporalAttention     whether blocks attend across frames (LATTE only)
 * @param pooledText            whether the masked mean of the projected text tokens is added to the timestep
 *                              conditioning vector
 * @param layerNormEps          LayerNorm epsilon
 * @param frequencyEmbeddingSize width of the sinusoidal timestep embedding
 */
public record DenoiserConfig(
        @JsonProperty("architecture") Architecture architecture,
        @JsonProperty("latent_channels") int latentChannels,
        @JsonProperty("latent_size") int latentSize,
        @JsonProperty("frames") int frames,
        @JsonProperty("patch_size") int patchSize,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("depth") int depth,
        @JsonProperty("num_heads") int numHeads,
        @JsonProperty("mlp_ratio") double mlpRatio,
        @JsonProperty("text_dim") int textDim,
        @JsonProperty("max_text_tokens") int maxTextTokens,
        @JsonProperty("temporal_attention") boolean temporalAttention,
        @JsonProperty("pooled_text") boolean pooledText,
        @JsonProperty("layer_norm_eps") double layerNormEps,
        @JsonProperty("frequency_embedding_size") int frequencyEmbeddingSize) {

    /** Which denoiser graph a config builds. */
    public enum Architecture {
        /** Latte-style DiT: adaLN-Zero blocks with spatial, temporal and cross attention. */
        LATTE,
        /** The seed project's image transformer: pre-LN self/cross attention, learned positions. */
        SEED
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private static final Map<String, DenoiserConfig> PRESETS = presets();

    public DenoiserConfig {
        if (architecture == null) {
            throw new IllegalArgumentException("architecture must be one of LATTE, SEED, got null");
        }
        positive("latent_channels", latentChannels);
        positive("latent_size", latentSize);
        positive("frames", frames);
        positive("patch_size", patchSize);
        positive("hidden_size", hiddenSize);
        positive("depth", depth);
        positive("num_heads", numHeads);
        positive("text_dim", textDim);
        positive("max_text_tokens", maxTextTokens);
        positive("frequency_embedding_size", frequencyEmbeddingSize);
        if (latentSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "latent_size " + latentSize + " must be divisible by patch_size " + patchSize);
        }
        if (hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException(
                    "hidden_size " + hiddenSize + " must be divisible by num_heads " + numHeads);
        }
        if (architecture == Architecture.LATTE && hiddenSize % 4 != 0) {
            // The fixed 2D sin-cos position embedding gives each axis half the width, as sin/cos pairs.
            throw new IllegalArgumentException(
                    "hidden_size " + hiddenSize + " must be divisible by 4 for LATTE's 2D sin-cos positions");
        }
        if (architecture == Architecture.SEED && temporalAttention) {
            throw new IllegalArgumentException("temporal_attention must be false for architecture SEED");
        }
        if (!(mlpRatio > 0) || !Double.isFinite(mlpRatio) || (int) (hiddenSize * mlpRatio) < 1) {
            throw new IllegalArgumentException("mlp_ratio must be > 0 and give a hidden width >= 1, got " + mlpRatio);
        }
        if (!(layerNormEps > 0) || !Double.isFinite(layerNormEps)) {
            throw new IllegalArgumentException("layer_norm_eps must be finite and > 0, got " + layerNormEps);
        }
        if (frequencyEmbeddingSize % 2 != 0) {
            throw new IllegalArgumentException(
                    "frequency_embedding_size must be even (cos/sin pairs), got " + frequencyEmbeddingSize);
        }
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + value);
        }
    }

    // ---------------------------------------------------------------- presets

    private static Map<String, DenoiserConfig> presets() {
        Map<String, DenoiserConfig> p = new LinkedHashMap<>();
        // Two blocks of 4 heads x 8 dims: the dummy model for pipeline tests.
        p.put("tiny", new DenoiserConfig(Architecture.LATTE, 4, 8, 4, 2, 32, 2, 4, 4.0, 384, 16,
                true, true, 1e-6, 256));
        // 128 px output through an 8x VAE, MiniLM text, 4 heads x 64 dims: 8.0M parameters, 40.8 GFLOP per batch-8
        // forward; a batch-8 training step takes about 2.5 s on a shared 2-core machine (t2v bench).
        p.put("demo", new DenoiserConfig(Architecture.LATTE, 4, 16, 8, 2, 256, 4, 4, 4.0, 384, 32,
                true, true, 1e-6, 256));
        p.put("small", new DenoiserConfig(Architecture.LATTE, 4, 32, 8, 2, 384, 6, 6, 4.0, 512, 77,
                true, true, 1e-6, 256));
        // DiT-B/2 with Latte's factorised attention, CLIP ViT-B/32 text.
        p.put("base", new DenoiserConfig(Architecture.LATTE, 4, 32, 8, 2, 768, 12, 12, 4.0, 512, 77,
                true, true, 1e-6, 256));
        // The seed project's model exactly: 1024 tokens of one 32x32 latent, PyTorch's default LayerNorm epsilon.
        p.put("seed", new DenoiserConfig(Architecture.SEED, 4, 32, 1, 1, 768, 12, 12, 4.0, 512, 77,
                false, false, 1e-5, 256));
        return Map.copyOf(p);
    }

    /** The preset called {@code name}; an unknown name throws, listing the known ones. */
    public static DenoiserConfig preset(String name) {
        DenoiserConfig cfg = name == null ? null : PRESETS.get(name);
        if (cfg == null) {
            throw new IllegalArgumentException(
                    "unknown denoiser preset '" + name + "'; known presets: " + String.join(", ", presetNames()));
        }
        return cfg;
    }

    /** Preset names, smallest first. */
    public static List<String> presetNames() {
        return List.of("tiny", "demo", "small", "base", "seed");
    }

    // ---------------------------------------------------------------- derived sizes

    /** Patches along one side of a frame: {@code latentSize / patchSize}. */
    public int gridSize() {
        return latentSize / patchSize;
    }

    /** Tokens per frame: {@code gridSize()^2}. */
    public int tokensPerFrame() {
        return gridSize() * gridSize();
    }

    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Feed-forward hidden width, {@code (int) (hiddenSize * mlpRatio)} as in timm's Mlp. */
    public int mlpHiddenSize() {
        return (int) (hiddenSize * mlpRatio);
    }

    /** Values in one patch: {@code latentChannels * patchSize^2}, the width of the patch embedding's input. */
    public int patchDim() {
        return latentChannels * patchSize * patchSize;
    }

    /** Chunks the adaLN modulation of a LATTE block produces: shift/scale/gate for each modulated sub-layer. */
    public int modulationChunks() {
        return temporalAttention ? 9 : 6;
    }

    // ---------------------------------------------------------------- copies

    public DenoiserConfig withTextDim(int newTextDim) {
        return new DenoiserConfig(architecture, latentChannels, latentSize, frames, patchSize, hiddenSize, depth,
                numHeads, mlpRatio, newTextDim, maxTextTokens, temporalAttention, pooledText, layerNormEps,
                frequencyEmbeddingSize);
    }

    public DenoiserConfig withMaxTextTokens(int newMaxTextTokens) {
        return new DenoiserConfig(architecture, latentChannels, latentSize, frames, patchSize, hiddenSize, depth,
                numHeads, mlpRatio, textDim, newMaxTextTokens, temporalAttention, pooledText, layerNormEps,
                frequencyEmbeddingSize);
    }

    public DenoiserConfig withFrames(int newFrames) {
        return new DenoiserConfig(architecture, latentChannels, latentSize, newFrames, patchSize, hiddenSize, depth,
                numHeads, mlpRatio, textDim, maxTextTokens, temporalAttention, pooledText, layerNormEps,
                frequencyEmbeddingSize);
    }

    public DenoiserConfig withLatentSize(int newLatentSize) {
        return new DenoiserConfig(architecture, latentChannels, newLatentSize, frames, patchSize, hiddenSize, depth,
                numHeads, mlpRatio, textDim, maxTextTokens, temporalAttention, pooledText, layerNormEps,
                frequencyEmbeddingSize);
    }

    public DenoiserConfig withTemporalAttention(boolean on) {
        return new DenoiserConfig(architecture, latentChannels, latentSize, frames, patchSize, hiddenSize, depth,
                numHeads, mlpRatio, textDim, maxTextTokens, on, pooledText, layerNormEps, frequencyEmbeddingSize);
    }

    public DenoiserConfig withPooledText(boolean on) {
        return new DenoiserConfig(architecture, latentChannels, latentSize, frames, patchSize, hiddenSize, depth,
                numHeads, mlpRatio, textDim, maxTextTokens, temporalAttention, on, layerNormEps,
                frequencyEmbeddingSize);
    }

    /** A copy with a different width/depth/head count (e.g. to retune {@code demo}). */
    public DenoiserConfig withSize(int newHiddenSize, int newDepth, int newNumHeads) {
        return new DenoiserConfig(architecture, latentChannels, latentSize, frames, patchSize, newHiddenSize,
                newDepth, newNumHeads, mlpRatio, textDim, maxTextTokens, temporalAttention, pooledText, layerNormEps,
                frequencyEmbeddingSize);
    }

    // ---------------------------------------------------------------- cost model

    /**
     * Trainable parameters, counted from the config; equals the element count of the model's weights.
     *
     * <p>With D = hiddenSize, M = mlpHiddenSize, P = patchDim, Dt = textDim, E = frequencyEmbeddingSize,
     * N = tokensPerFrame, linear(a, b) = a·b + b (weight + bias):
     * <ul>
     *   <li>LATTE: patch linear(P, D) + timestep MLP linear(E, D) + linear(D, D) + text linear(Dt, D)
     *       + depth × [adaLN linear(D, kD) with k = 9 (6 without temporal attention) + spatial attention
     *       (linear(D, 3D) + linear(D, D)) + the same for temporal attention when on + cross-attention LayerNorm 2D
     *       + cross-attention (linear(D, D) + linear(D, 2D) + linear(D, D)) + feed-forward (linear(D, M) + linear(M, D))]
     *       + final adaLN linear(D, 2D) + final linear(D, P).</li>
     *   <li>SEED: patch linear(P, D) + learned positions N·D + timestep projection linear(E, D) + text linear(Dt, D)
     *       + depth × [4 LayerNorms (4 · 2D) + self-attention (linear(D, 3D) + linear(D, D)) + two feed-forwards
     *       + cross-attention (linear(D, D) + linear(D, 2D) + linear(D, D))] + final LayerNorm 2D + linear(D, P).</li>
     * </ul>
     */
    public long parameterCount() {
        long d = hiddenSize;
        long attn = linear(d, 3 * d) + linear(d, d);
        long cross = linear(d, d) + linear(d, 2 * d) + linear(d, d);
        long mlp = linear(d, mlpHiddenSize()) + linear(mlpHiddenSize(), d);
        long text = linear(textDim, d);
        long patch = linear(patchDim(), d);
        if (architecture == Architecture.LATTE) {
            long block = linear(d, modulationChunks() * d) + attn + (temporalAttention ? attn : 0) + 2 * d
                    + cross + mlp;
            return patch + linear(frequencyEmbeddingSize, d) + linear(d, d) + text + depth * block
                    + linear(d, 2 * d) + linear(d, patchDim());
        }
        long block = 4 * 2 * d + attn + 2 * mlp + cross;
        return patch + (long) tokensPerFrame() * d + linear(frequencyEmbeddingSize, d) + text + depth * block
                + 2 * d + linear(d, patchDim());
    }

    private static long linear(long in, long out) {
        return in * out + out;
    }

    /** {@link #forwardFlops(int, int, int)} with the text at its full length, {@code maxTextTokens}. */
    public long forwardFlops(int batch, int frames) {
        return forwardFlops(batch, frames, maxTextTokens);
    }

    /**
     * FLOPs of one forward pass, counting every matrix product as 2·m·n·k (a multiply-add is 2 FLOPs), attention
     * scores and weighted sums included; elementwise work (norms, softmax, activations, biases) is ignored.
     *
     * <p>With B = batch, F = frames, N = tokensPerFrame, S = B·F·N tokens, T = textTokens and the symbols of
     * {@link #parameterCount()}:
     * <ul>
     *   <li>both: patch embedding 2·S·P·D, text projection 2·B·T·Dt·D, output projection 2·S·D·P;</li>
     *   <li>LATTE: timestep MLP 2·B·(E·D + D·D) + per block [adaLN 2·B·D·kD; spatial attention 2·S·(3D·D + D·D) +
     *       2·2·B·F·N²·D; temporal attention (when on) 2·S·(3D·D + D·D) + 2·2·B·N·F²·D; cross-attention
     *       2·S·D·D·2 (query, output) + 2·B·T·D·2D (keys/values) + 2·2·S·T·D; feed-forward 2·2·S·D·M]
     *       + final adaLN 2·B·D·2D;</li>
     *   <li>SEED: timestep projection 2·B·E·D + per block [self-attention as LATTE's spatial one, two
     *       feed-forwards 2·(2·2·S·D·M), cross-attention as LATTE's].</li>
     * </ul>
     */
    public long forwardFlops(int batch, int frames, int textTokens) {
        if (batch < 1 || frames < 1 || textTokens < 1) {
            throw new IllegalArgumentException(
                    "batch, frames and textTokens must be >= 1, got " + batch + ", " + frames + ", " + textTokens);
        }
        long b = batch, f = frames, n = tokensPerFrame(), s = b * f * n, t = textTokens;
        long d = hiddenSize, m = mlpHiddenSize(), p = patchDim(), e = frequencyEmbeddingSize;
        long spatial = 2 * s * (3 * d * d + d * d) + 2 * 2 * b * f * n * n * d;
        long temporal = 2 * s * (3 * d * d + d * d) + 2 * 2 * b * n * f * f * d;
        long cross = 2 * s * d * d * 2 + 2 * b * t * d * 2 * d + 2 * 2 * s * t * d;
        long mlp = 2 * 2 * s * d * m;
        long io = 2 * s * p * d + 2 * b * t * textDim * d + 2 * s * d * p;
        if (architecture == Architecture.LATTE) {
            long block = 2 * b * d * modulationChunks() * d + spatial + (temporalAttention ? temporal : 0)
                    + cross + mlp;
            return io + 2 * b * (e * d + d * d) + depth * block + 2 * b * d * 2 * d;
        }
        return io + 2 * b * e * d + depth * (spatial + 2 * mlp + cross);
    }

    // ---------------------------------------------------------------- JSON

    /** Pretty-printed JSON with snake_case field names. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + this, e);
        }
    }

    /** Parses {@link #toJson()} output; a missing, unknown or invalid field throws naming it. */
    public static DenoiserConfig fromJson(String json) {
        try {
            return JSON.readValue(json, DenoiserConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("invalid denoiser config JSON: unknown field '" + e.getPropertyName()
                    + "'", e);
        } catch (MismatchedInputException e) {
            String why = e.getOriginalMessage().startsWith("Missing creator property") ? "missing field"
                    : e.getOriginalMessage();
            throw new IllegalArgumentException("invalid denoiser config JSON at '" + path(e) + "': " + why, e);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) {
                throw new IllegalArgumentException("invalid denoiser config: " + iae.getMessage(), e);
            }
            throw new IllegalArgumentException("invalid denoiser config JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String path(MismatchedInputException e) {
        StringBuilder sb = new StringBuilder();
        e.getPath().forEach(ref -> sb.append(sb.isEmpty() ? "" : ".")
                .append(ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]"));
        return sb.toString();
    }
}
