/**
 * The model bundle: the directory a training run produces and generation loads ({@link
 * dev.t2v.core.bundle.ModelBundle}), its {@code model.json} ({@link dev.t2v.core.bundle.BundleInfo}) and the
 * references to the text encoder and latent codec it was trained with.
 */
package dev.t2v.core.bundle;
