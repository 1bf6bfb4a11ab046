/**
 * Scoring videos of the synthetic moving-shapes set: {@link dev.t2v.inference.eval.synthetic.ShapeDetector} reads a
 * video back to (colour, shape, direction), objects per frame and flicker;
 * {@link dev.t2v.inference.eval.synthetic.Adherence} compares those readings with the prompts and reports them with
 * 95 % intervals ({@link dev.t2v.inference.eval.synthetic.AdherenceReport}); and
 * {@link dev.t2v.inference.eval.synthetic.GroundTruth} picks the set's own clips as the reference row.
 */
package dev.t2v.inference.eval.synthetic;
