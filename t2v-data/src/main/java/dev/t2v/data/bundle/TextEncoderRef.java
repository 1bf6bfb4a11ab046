package dev.t2v.data.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.encode.TextEncoders;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which text encoder a model was trained with, as {@code model.json}'s {@code text_encoder} object: either the default
 * MiniLM from its Maven artifact ({@code {"kind":"minilm"}}) or an ONNX model and tokenizer.json
 * ({@code {"kind":"onnx","model":...,"tokenizer":...}}), plus the encoder's {@code id}, {@code dim} and
 * {@code max_tokens}. Opening it checks that the files still give the same {@link TextEncoder#id()}.
 *
 * @param kind MiniLM from the class path, or ONNX files
 * @param model the ONNX model, relative to the bundle or absolute; {@code null} for MiniLM
 * @param tokenizer the tokenizer.json, relative to the bundle or absolute; {@code null} for MiniLM
 * @param style the ONNX model's input convention, {@code null} to detect it (and for MiniLM)
 * @param id the encoder's {@link TextEncoder#id()} at training time
 * @param dim D, the embedding width
 * @param maxTokens the most tokens a prompt keeps
 */
public record TextEncoderRef(Kind kind, String model, String tokenizer, OnnxTextEncoder.Style style, String id, int dim,
        int maxTokens) {

    /** Where the encoder comes from. */
    public enum Kind {
        /** all-MiniLM-L6-v2 from the langchain4j artifact on the class path. */
        MINILM,
        /** An ONNX model and its tokenizer.json. */
        ONNX
    }

    public TextEncoderRef {
        if (kind == null) {
            throw new IllegalArgumentException("text encoder kind is required (minilm or onnx)");
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("text encoder id must be a non-empty string");
        }
        if (dim < 1) {
            throw new IllegalArgumentException("text encoder dim must be >= 1, got " + dim);
        }
        if (maxTokens < 2) {
            throw new IllegalArgumentException("text encoder max_tokens must be >= 2, got " + maxTokens);
        }
        if (kind == Kind.ONNX && (isBlank(model) || isBlank(tokenizer))) {
            throw new IllegalArgumentException("an onnx text encoder needs 'model' and 'tokenizer' paths");
        }
        if (kind == Kind.MINILM && (model != null || tokenizer != null || style != null)) {
            throw new IllegalArgumentException("a minilm text encoder takes no model, tokenizer or style");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The id {@link TextEncoders#defaultMiniLm()} gives for the artifact this build was compiled against. */
    public static String miniLmId() {
        return TextEncoders.MINILM_NAME + "@" + TextEncoders.MINILM_MODEL_SHA256.substring(0, 12) + "-"
                + TextEncoders.MINILM_TOKENIZER_SHA256.substring(0, 8);
    }

    /** The default MiniLM keeping {@code maxTokens} tokens. */
    public static TextEncoderRef miniLm(int maxTokens) {
        return new TextEncoderRef(Kind.MINILM, null, null, null, miniLmId(), TextEncoders.MINILM_DIM, maxTokens);
    }

    /** Describes an opened ONNX encoder by its two files (stored as absolute paths). */
    public static TextEncoderRef onnx(OnnxTextEncoder encoder) {
        return new TextEncoderRef(Kind.ONNX, encoder.modelFile().toAbsolutePath().normalize().toString(),
                encoder.tokenizerFile().toAbsolutePath().normalize().toString(), encoder.style(), encoder.id(),
                encoder.dim(), encoder.maxTokens());
    }

    /** Whether two encoder ids name the same files: the hashes after '@' agree (the label before it may not). */
    public static boolean sameFiles(String id, String otherId) {
        return hashPart(id).equals(hashPart(otherId));
    }

    /** The same reference with other file paths (e.g. after copying the files into a bundle). */
    public TextEncoderRef withFiles(String newModel, String newTokenizer) {
        return new TextEncoderRef(kind, newModel, newTokenizer, style, id, dim, maxTokens);
    }

    /**
     * Opens the encoder, resolving relative paths against {@code bundleDir}.
     *
     * @throws IOException when a file is missing, or the files no longer give this {@link #id()} or {@link #dim()}
     */
    public TextEncoder open(Path bundleDir) throws IOException {
        TextEncoder enc = switch (kind) {
            case MINILM -> TextEncoders.defaultMiniLm(maxTokens);
            case ONNX -> OnnxTextEncoder.open(ModelBundle.resolve(bundleDir, tokenizer),
                    ModelBundle.resolve(bundleDir, model),
                    OnnxTextEncoder.Options.defaults().withMaxTokens(maxTokens).withStyle(style));
        };
        // The label before '@' depends on how the encoder was opened; the hashes after it identify the files.
        if (!sameFiles(enc.id(), id) || enc.dim() != dim) {
            String got = enc.id() + " (dim " + enc.dim() + ")";
            enc.close();
            throw new IOException("text encoder files give " + got + " but the model was trained with " + id + " (dim "
                    + dim + ")" + (kind == Kind.MINILM ? "; is another version of " + TextEncoders.MINILM_ARTIFACT
                    + " on the class path?" : ""));
        }
        return enc;
    }

    private static String hashPart(String encoderId) {
        int at = encoderId.indexOf('@');
        return at < 0 ? encoderId : encoderId.substring(at + 1);
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("kind", kind.name().toLowerCase(Locale.ROOT));
        if (kind == Kind.ONNX) {
            n.put("model", model);
            n.put("tokenizer", tokenizer);
            if (style != null) {
                n.put("style", style.name().toLowerCase(Locale.ROOT));
            }
        }
        n.put("id", id);
        n.put("dim", dim);
        n.put("max_tokens", maxTokens);
        return n;
    }

    static TextEncoderRef parse(JsonNode n, JsonFields f) throws IOException {
        String kindName = f.text(n, "text_encoder.kind");
        Kind kind = switch (kindName) {
            case "minilm" -> Kind.MINILM;
            case "onnx" -> Kind.ONNX;
            default -> throw f.error("text_encoder.kind", "expected \"minilm\" or \"onnx\", got \"" + kindName + "\"");
        };
        OnnxTextEncoder.Style style = null;
        String styleName = f.optionalText(n, "text_encoder.style");
        if (styleName != null) {
            try {
                style = OnnxTextEncoder.Style.valueOf(styleName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw f.error("text_encoder.style", "expected \"clip\" or \"bert\", got \"" + styleName + "\"");
            }
        }
        try {
            return new TextEncoderRef(kind, kind == Kind.ONNX ? f.text(n, "text_encoder.model") : null,
                    kind == Kind.ONNX ? f.text(n, "text_encoder.tokenizer") : null, style,
                    f.text(n, "text_encoder.id"), f.integer(n, "text_encoder.dim"),
                    f.integer(n, "text_encoder.max_tokens"));
        } catch (IllegalArgumentException e) {
            throw f.error("text_encoder", e.getMessage());
        }
    }
}
