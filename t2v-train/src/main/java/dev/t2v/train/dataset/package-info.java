/**
 * A preprocessed dataset served to the trainer: {@link dev.t2v.train.dataset.ClipDataset} memory-maps the shards that
 * {@code t2v preprocess} wrote and returns deterministic, resumable {@link dev.t2v.train.dataset.TrainingBatch}es.
 */
package dev.t2v.train.dataset;
