package dev.t2v.data.encode;

import java.util.List;

/**
 * Turns prompts into per-token embeddings that condition the denoiser. The embedding of {@code ""} is the null
 * condition for classifier-free guidance, so every implementation encodes the empty prompt.
 */
public interface TextEncoder extends AutoCloseable {
    /** Encodes a non-empty batch; the result's T is this batch's padded length or the model's fixed length. */
    TextEmbeddings encode(List<String> prompts);

    /** D, the embedding width. */
    int dim();

    /** The most tokens a prompt keeps (special tokens included); longer prompts are truncated. */
    int maxTokens();

    /** A stable identifier for provenance: the same model and tokenizer files give the same id. */
    String id();

    @Override
    void close();
}
