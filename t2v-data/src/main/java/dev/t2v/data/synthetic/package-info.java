/**
 * The synthetic moving-shapes set: {@link dev.t2v.data.synthetic.SyntheticSet} writes clips of one coloured shape
 * moving left, right, up or down, in MSR-VTT layout with 20 varied captions each and a held-out list of
 * colour × shape × direction combinations; {@link dev.t2v.data.synthetic.ShapeDetector} reads a video back to those
 * attributes, and {@link dev.t2v.data.synthetic.Adherence} scores generated videos against their prompts.
 */
package dev.t2v.data.synthetic;
