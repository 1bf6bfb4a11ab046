package dev.t2v.data.encode;

import dev.t2v.core.bundle.CodecRef;
import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.core.bundle.TextEncoderRef;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens the text encoder and latent codec a model bundle names, and describes opened ones as bundle references. The
 * bundle format itself lives in {@code t2v-core}; opening ONNX files needs ONNX Runtime, so it lives here.
 */
public final class BundleEncoders {
    private BundleEncoders() {
    }

    /** The id {@link TextEncoders#defaultMiniLm()} gives for the artifact this build was compiled against. */
    public static String miniLmId() {
        return TextEncoders.MINILM_NAME + "@" + TextEncoders.MINILM_MODEL_SHA256.substring(0, 12) + "-"
                + TextEncoders.MINILM_TOKENIZER_SHA256.substring(0, 8);
    }

    /** The default MiniLM keeping {@code maxTokens} tokens. */
    public static TextEncoderRef miniLm(int maxTokens) {
        return new TextEncoderRef(TextEncoderRef.Kind.MINILM, null, null, null, miniLmId(), TextEncoders.MINILM_DIM,
                maxTokens);
    }

    /** Describes an opened ONNX encoder by its two files (stored as absolute paths). */
    public static TextEncoderRef ref(OnnxTextEncoder encoder) {
        return new TextEncoderRef(TextEncoderRef.Kind.ONNX,
                encoder.modelFile().toAbsolutePath().normalize().toString(),
                encoder.tokenizerFile().toAbsolutePath().normalize().toString(),
                encoder.style().name().toLowerCase(Locale.ROOT), encoder.id(), encoder.dim(), encoder.maxTokens());
    }

    /** Describes an opened VAE by its files (absolute paths); it needs a decoder. */
    public static CodecRef ref(OnnxVae vae) {
        if (vae.decoderFile() == null) {
            throw new IllegalArgumentException("a codec reference needs a VAE with a decoder");
        }
        Path enc = vae.encoderFile();
        return new CodecRef(enc == null ? null : enc.toAbsolutePath().normalize().toString(),
                vae.decoderFile().toAbsolutePath().normalize().toString(), vae.scalingFactor(), vae.latentChannels(),
                vae.downsample(), vae.id());
    }

    /** Opens the text encoder the model was trained with; the caller closes it. */
    public static TextEncoder openTextEncoder(ModelBundle bundle) throws IOException {
        return open(bundle.info().textEncoder(), bundle.directory());
    }

    /** Opens the bundle's latent codec; the caller closes it. */
    public static OnnxVae openCodec(ModelBundle bundle) throws IOException {
        CodecRef codec = bundle.info().codec();
        if (codec == null) {
            throw new IOException(bundle.directory().resolve(ModelBundle.MODEL_JSON)
                    + ": this bundle has no codec, so it cannot decode videos");
        }
        return open(codec, bundle.directory());
    }

    /**
     * Opens the encoder, resolving relative paths against {@code bundleDir}.
     *
     * @throws IOException when a file is missing, or the files no longer give the reference's id or dim
     */
    public static TextEncoder open(TextEncoderRef ref, Path bundleDir) throws IOException {
        TextEncoder enc = switch (ref.kind()) {
            case MINILM -> TextEncoders.defaultMiniLm(ref.maxTokens());
            case ONNX -> OnnxTextEncoder.open(ModelBundle.resolve(bundleDir, ref.tokenizer()),
                    ModelBundle.resolve(bundleDir, ref.model()),
                    OnnxTextEncoder.Options.defaults().withMaxTokens(ref.maxTokens()).withStyle(ref.style() == null
                            ? null : OnnxTextEncoder.Style.valueOf(ref.style().toUpperCase(Locale.ROOT))));
        };
        // The label before '@' depends on how the encoder was opened; the hashes after it identify the files.
        if (!TextEncoderRef.sameFiles(enc.id(), ref.id()) || enc.dim() != ref.dim()) {
            String got = enc.id() + " (dim " + enc.dim() + ")";
            enc.close();
            throw new IOException("text encoder files give " + got + " but the model was trained with " + ref.id()
                    + " (dim " + ref.dim() + ")" + (ref.kind() == TextEncoderRef.Kind.MINILM ? "; is another version of "
                    + TextEncoders.MINILM_ARTIFACT + " on the class path?" : ""));
        }
        return enc;
    }

    /**
     * Opens the VAE, resolving relative paths against {@code bundleDir}.
     *
     * @throws IOException when the files no longer give the reference's channels or (with both files present) its id
     */
    public static OnnxVae open(CodecRef ref, Path bundleDir) throws IOException {
        Path enc = ref.encoder() == null ? null : ModelBundle.resolve(bundleDir, ref.encoder());
        Path dec = ModelBundle.resolve(bundleDir, ref.decoder());
        OnnxVae vae = OnnxVae.open(enc, dec, OnnxVae.Options.of(ref.scalingFactor()).withDownsample(ref.downsample())
                .withLatentChannels(ref.latentChannels()));
        // A decode-only codec cannot reproduce the two-file id; its channel count is still checked.
        String mismatch = vae.latentChannels() != ref.latentChannels()
                ? vae.latentChannels() + " latent channels, expected " + ref.latentChannels()
                : enc != null && !vae.id().equals(ref.id()) ? "id " + vae.id() + ", expected " + ref.id() : null;
        if (mismatch != null) {
            vae.close();
            throw new IOException("codec " + dec + ": the files give " + mismatch
                    + " (not the codec this model was trained with)");
        }
        return vae;
    }
}
