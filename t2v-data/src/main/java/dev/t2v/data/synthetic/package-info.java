/**
 * The synthetic moving-shapes set: {@link dev.t2v.data.synthetic.SyntheticSet} writes clips of one coloured shape
 * moving left, right, up or down, in MSR-VTT layout with 20 varied captions each and a held-out list of
 * colour × shape × direction combinations, with each clip's label in its annotation. Reading videos back to those
 * attributes and scoring them is the evaluation's work ({@code dev.t2v.inference.eval.synthetic}).
 */
package dev.t2v.data.synthetic;
