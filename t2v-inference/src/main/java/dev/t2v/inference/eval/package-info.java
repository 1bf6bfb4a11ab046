/**
 * Scoring generated videos.
 *
 * <ul>
 *   <li>{@link dev.t2v.inference.eval.ClipSim}: CLIPSIM with any CLIP exported to ONNX, the mean over frames of the
 *       cosine between the frame's and the prompt's CLIP embeddings ({@link dev.t2v.inference.eval.ClipEvaluator} runs
 *       it over prompts).</li>
 *   <li>{@link dev.t2v.inference.eval.AdherenceEvaluator}: the synthetic moving-shapes suite, per-attribute accuracy
 *       (colour, shape, direction) read back by the shape detector, seen and held-out combinations apart.</li>
 *   <li>{@link dev.t2v.inference.eval.ThroughputMeter}: seconds per step, per video, frames per second and peak RSS,
 *       measured from a generation's progress events.</li>
 * </ul>
 * Sample {@code i} of an evaluation (prompt-major) uses seed {@code seed + i}, so a run is reproducible.
 */
package dev.t2v.inference.eval;
