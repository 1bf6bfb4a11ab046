package dev.t2v.core.bundle;

/**
 * The latent codec a model was trained with, as {@code model.json}'s {@code codec} object: an ONNX VAE
 * ({@code "kind":"onnx-vae"}) with its encoder (optional: generation only decodes) and decoder files, its scaling
 * factor, latent channels, downsampling factor and id.
 *
 * @param encoder the encoder model, relative to the bundle or absolute; {@code null} for a decode-only codec
 * @param decoder the decoder model, relative to the bundle or absolute
 * @param scalingFactor latents are the VAE's latent times this
 * @param latentChannels C
 * @param downsample frame size over latent size
 * @param id the codec's id at training time
 */
public record CodecRef(String encoder, String decoder, double scalingFactor, int latentChannels, int downsample,
        String id) {
    /** The only kind so far. */
    public static final String KIND = "onnx-vae";

    public CodecRef {
        if (decoder == null || decoder.isBlank()) {
            throw new IllegalArgumentException("codec decoder path is required");
        }
        if (encoder != null && encoder.isBlank()) {
            throw new IllegalArgumentException("codec encoder path must be null or non-empty");
        }
        if (!(scalingFactor > 0) || Double.isInfinite(scalingFactor)) {
            throw new IllegalArgumentException("codec scaling_factor must be finite and > 0, got " + scalingFactor);
        }
        if (latentChannels < 1 || downsample < 1) {
            throw new IllegalArgumentException("codec latent_channels and downsample must be >= 1, got "
                    + latentChannels + " and " + downsample);
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("codec id must be a non-empty string");
        }
    }

    /** The same reference with other file paths (e.g. after copying the files into a bundle). */
    public CodecRef withFiles(String newEncoder, String newDecoder) {
        return new CodecRef(newEncoder, newDecoder, scalingFactor, latentChannels, downsample, id);
    }
}
