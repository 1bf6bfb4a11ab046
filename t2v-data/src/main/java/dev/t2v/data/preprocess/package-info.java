/**
 * {@code t2v preprocess}: turns an MSR-VTT-format folder into the latent and text-embedding shards that training
 * reads ({@link dev.t2v.data.manifest}). {@link dev.t2v.data.preprocess.Preprocessor} decodes clip windows of every
 * video in parallel, encodes them with a {@link dev.t2v.data.encode.LatentCodec} and the captions with a
 * {@link dev.t2v.data.encode.TextEncoder}, and writes shards atomically, so a killed run resumes without redoing
 * finished shards and the output is byte-identical to an uninterrupted run. Unreadable videos are listed in
 * {@code bad-videos.tsv} and skipped.
 */
package dev.t2v.data.preprocess;
