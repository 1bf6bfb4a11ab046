package dev.t2v.train;

import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.train.dataset.TrainingBatch;

/**
 * Where the trainer's clips come from: a stateless, deterministic batch function, so that the {@code (epoch,
 * position)} cursor is all a checkpoint needs to resume on exactly the batches an uninterrupted run would see.
 * {@link ClipDatasetSource} adapts a preprocessed dataset; tests use in-memory sources.
 *
 * <p>Contract: {@code batch(seed, epoch, p, B, T)} returns the same values for the same arguments; batch {@code p} of
 * size {@code B} holds clips {@code p·B … p·B+B-1} of the epoch's order, so {@code B} batches of one clip and one batch
 * of {@code B} clips hold the same clips (what makes gradient accumulation equivalent to a larger batch).
 */
public interface BatchSource {
    /** Clips available. */
    int size();

    /** Whole batches of {@code batchSize} in one epoch (a partial last batch is dropped). */
    int batchesPerEpoch(int batchSize);

    /** Batch {@code position} of epoch {@code epoch}, with captions cut or padded to {@code textTokens} tokens. */
    TrainingBatch batch(long seed, long epoch, int position, int batchSize, int textTokens);

    /** F, frames per clip. */
    int frames();

    /** C, latent channels. */
    int latentChannels();

    /** h = w, the latent size. */
    int latentSize();

    /** D, the caption embedding width. */
    int textDim();

    /** The most caption tokens a batch row can hold. */
    int maxTextTokens();

    /** The empty prompt's embedding (the classifier-free-guidance null condition). */
    NullTextEmbedding nullText();

    /** Identifies the data (a manifest hash) for provenance. */
    String fingerprint();
}
