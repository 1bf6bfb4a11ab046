/**
 * The preprocessed dataset that {@code t2v preprocess} writes and training reads: {@code dataset.json}
 * ({@link dev.t2v.data.manifest.DatasetInfo}), latent + text-embedding shards, {@code manifest.jsonl}
 * ({@link dev.t2v.data.manifest.ManifestEntry}), {@code null_text.safetensors} ({@link dev.t2v.core.bundle.NullTextEmbedding})
 * and {@link dev.t2v.data.manifest.ClipDataset}, which serves deterministic training batches from the memory-mapped
 * shards. {@link dev.t2v.data.manifest.DatasetFiles} names the files; docs/formats.md describes them.
 */
package dev.t2v.data.manifest;
