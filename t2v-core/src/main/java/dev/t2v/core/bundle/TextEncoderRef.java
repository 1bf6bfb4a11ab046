package dev.t2v.core.bundle;

import java.util.Set;

/**
 * Which text encoder a model was trained with, as {@code model.json}'s {@code text_encoder} object: either the default
 * MiniLM from its Maven artifact ({@code {"kind":"minilm"}}) or an ONNX model and tokenizer.json
 * ({@code {"kind":"onnx","model":...,"tokenizer":...}}), plus the encoder's {@code id}, {@code dim} and
 * {@code max_tokens}. {@code dev.t2v.data.encode.BundleEncoders} opens it and checks that the files still give the
 * same id.
 *
 * @param kind MiniLM from the class path, or ONNX files
 * @param model the ONNX model, relative to the bundle or absolute; {@code null} for MiniLM
 * @param tokenizer the tokenizer.json, relative to the bundle or absolute; {@code null} for MiniLM
 * @param style the ONNX model's input convention, {@code "clip"} or {@code "bert"}; {@code null} to detect it (and
 *     for MiniLM)
 * @param id the encoder's id at training time
 * @param dim D, the embedding width
 * @param maxTokens the most tokens a prompt keeps
 */
public record TextEncoderRef(Kind kind, String model, String tokenizer, String style, String id, int dim,
        int maxTokens) {

    /** Where the encoder comes from. */
    public enum Kind {
        /** all-MiniLM-L6-v2 from the langchain4j artifact on the class path. */
        MINILM,
        /** An ONNX model and its tokenizer.json. */
        ONNX
    }

    /** The input conventions {@link #style()} may name. */
    public static final Set<String> STYLES = Set.of("clip", "bert");

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
        if (style != null && !STYLES.contains(style)) {
            throw new IllegalArgumentException("text encoder style must be \"clip\" or \"bert\", got \"" + style + "\"");
        }
        if (kind == Kind.MINILM && (model != null || tokenizer != null || style != null)) {
            throw new IllegalArgumentException("a minilm text encoder takes no model, tokenizer or style");
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Whether two encoder ids name the same files: the hashes after '@' agree (the label before it may not). */
    public static boolean sameFiles(String id, String otherId) {
        return hashPart(id).equals(hashPart(otherId));
    }

    /** The same reference with other file paths (e.g. after copying the files into a bundle). */
    public TextEncoderRef withFiles(String newModel, String newTokenizer) {
        return new TextEncoderRef(kind, newModel, newTokenizer, style, id, dim, maxTokens);
    }

    private static String hashPart(String encoderId) {
        int at = encoderId.indexOf('@');
        return at < 0 ? encoderId : encoderId.substring(at + 1);
    }
}
