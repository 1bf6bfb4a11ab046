/**
 * Viewing a generated video without a video player: {@link dev.t2v.inference.output.GifWriter} writes a looping
 * animated GIF and {@link dev.t2v.inference.output.ContactSheet} a PNG grid of the frames under the prompt. (MP4 is
 * video I/O and stays with the reader in {@code dev.t2v.data.video}.)
 */
package dev.t2v.inference.output;
