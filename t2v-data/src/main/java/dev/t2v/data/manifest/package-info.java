/**
 * The preprocessed dataset that {@code t2v preprocess} writes and training reads: {@code dataset.json}
 * ({@link dev.t2v.data.manifest.DatasetInfo}), latent + text-embedding shards, {@code manifest.jsonl}
 * ({@link dev.t2v.data.manifest.ManifestEntry}) and {@code null_text.safetensors}
 * ({@link dev.t2v.core.bundle.NullTextEmbedding}). {@link dev.t2v.data.manifest.DatasetFiles} names the files;
 * docs/formats.md describes them. Serving training batches from the shards is the trainer's
 * ({@code dev.t2v.train.dataset.ClipDataset}).
 */
package dev.t2v.data.manifest;
