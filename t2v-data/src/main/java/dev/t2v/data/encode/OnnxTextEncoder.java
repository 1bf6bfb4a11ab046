package dev.t2v.data.encode;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.t2v.core.io.ModelFiles;
import dev.t2v.data.onnx.OnnxModelException;
import dev.t2v.data.onnx.OnnxSession;
import dev.t2v.data.onnx.OnnxTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A text encoder made of a Hugging Face {@code tokenizer.json} (run by DJL's tokenizers, offline) and an ONNX model
 * with output {@code last_hidden_state [B,T,D]} FLOAT.
 *
 * <p>Two input conventions are understood, detected from the model's inputs unless {@link Options#style()} says:
 * <ul>
 *   <li>{@link Style#CLIP}: {@code input_ids} (+ optional {@code attention_mask}). Prompts are padded to
 *       {@link #maxTokens()} (77 by default) with the end-of-text id, as Stable Diffusion feeds CLIP, and a prompt that
 *       is too long keeps its end-of-text token.</li>
 *   <li>{@link Style#BERT}: {@code input_ids}, {@code attention_mask}, {@code token_type_ids}. A batch is padded to its
 *       longest prompt (or to {@link #maxTokens()} with {@link Options#padToMaxTokens()}) with the tokenizer's pad id,
 *       and a prompt that is too long keeps its {@code [SEP]}.</li>
 * </ul>
 * Ids and masks are INT64 or INT32, whichever the model declares. A model with a fixed sequence length (or batch size)
 * is fed exactly that. The tokenizer's own padding and truncation settings are ignored: this class does both.
 *
 * <p>Safe for concurrent {@link #encode} calls; {@link #close()} must not race them.
 */
public final class OnnxTextEncoder implements TextEncoder {
    /** The input convention of the model. */
    public enum Style {
        CLIP, BERT
    }

    /** CLIP's context length: its position table has 77 rows. */
    public static final int CLIP_MAX_TOKENS = 77;
    /** BERT-style default when neither the options, the model nor the tokenizer fix a length. */
    public static final int BERT_DEFAULT_MAX_TOKENS = 128;

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String LAST_HIDDEN_STATE = "last_hidden_state";
    private static final OnnxJavaType[] INTEGER_TYPES = {OnnxJavaType.INT64, OnnxJavaType.INT32};

    /**
     * How to open an encoder.
     *
     * @param maxTokens the most tokens per prompt, special tokens included; 0 means the model's fixed length, else
     *     {@value #CLIP_MAX_TOKENS} for CLIP and the tokenizer's truncation length (or
     *     {@value #BERT_DEFAULT_MAX_TOKENS}) for BERT
     * @param style the input convention, or {@code null} to detect it from the model's inputs
     * @param label the name part of {@link #id()}, or {@code null} for the style's name
     * @param padToMaxTokens pad every batch to {@code maxTokens} rather than to its longest prompt (CLIP always does)
     * @param intraOpThreads ONNX Runtime threads per op, 0 for its default
     */
    public record Options(int maxTokens, Style style, String label, boolean padToMaxTokens, int intraOpThreads) {
        public Options {
            if (maxTokens != 0 && maxTokens < 2) {
                throw new IllegalArgumentException("maxTokens must be 0 (model default) or >= 2, got " + maxTokens);
            }
            if (label != null && (label.isBlank() || label.contains("@"))) {
                throw new IllegalArgumentException("label must be non-blank without '@', got '" + label + "'");
            }
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
            }
        }

        public static Options defaults() {
            return new Options(0, null, null, false, 0);
        }

        public Options withMaxTokens(int n) {
            return new Options(n, style, label, padToMaxTokens, intraOpThreads);
        }

        public Options withStyle(Style s) {
            return new Options(maxTokens, s, label, padToMaxTokens, intraOpThreads);
        }

        public Options withLabel(String l) {
            return new Options(maxTokens, style, l, padToMaxTokens, intraOpThreads);
        }

        public Options withPadToMaxTokens(boolean pad) {
            return new Options(maxTokens, style, label, pad, intraOpThreads);
        }
    }

    private final Path modelFile;
    private final Path tokenizerFile;
    private final HuggingFaceTokenizer tokenizer;
    private final OnnxSession session;
    private final Style style;
    private final int maxTokens;
    private final boolean fixedLength;
    private final boolean padToMax;
    private final long padId;
    private final int batchLimit;
    private final OnnxJavaType idsType;
    private final OnnxJavaType maskType;
    private final OnnxJavaType typeIdsType;
    private final int dim;
    private final String id;

    /** Opens with {@link Options#defaults()}. */
    public static OnnxTextEncoder open(Path tokenizerJson, Path model) throws IOException {
        return open(tokenizerJson, model, Options.defaults());
    }

    /**
     * Opens the tokenizer and the model and checks the model's signature.
     *
     * @throws OnnxModelException naming the model file when its inputs or outputs do not fit
     * @throws IOException when a file cannot be read
     */
    public static OnnxTextEncoder open(Path tokenizerJson, Path model, Options options) throws IOException {
        return open(tokenizerJson, model, options, null);
    }

    /** As {@link #open(Path, Path, Options)}, with a precomputed {@link #id()} (the caller vouches for the files). */
    static OnnxTextEncoder open(Path tokenizerJson, Path model, Options options, String knownId) throws IOException {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new NoSuchFileException(tokenizerJson.toString(), null, "no such tokenizer.json");
        }
        TokenizerJson tokJson = TokenizerJson.read(tokenizerJson);
        String id = knownId;
        if (id == null) {
            // Hash before opening anything native, so an unreadable file leaks nothing.
            id = idLabel(options) + "@" + ModelFiles.sha256(model).substring(0, 12) + "-"
                    + ModelFiles.sha256(tokenizerJson).substring(0, 8);
        }
        OnnxSession session = OnnxSession.open(model, options.intraOpThreads());
        HuggingFaceTokenizer tokenizer = null;
        try {
            tokenizer = HfTokenizers.open(tokenizerJson);
            return new OnnxTextEncoder(model, tokenizerJson, tokJson, tokenizer, session, options, id);
        } catch (RuntimeException | IOException e) {
            if (tokenizer != null) {
                tokenizer.close();
            }
            session.close();
            throw e;
        }
    }

    private static String idLabel(Options options) {
        if (options.label() != null) {
            return options.label();
        }
        return options.style() == null ? "onnx-text" : options.style().name().toLowerCase(java.util.Locale.ROOT);
    }

    private OnnxTextEncoder(Path modelFile, Path tokenizerFile, TokenizerJson tokJson, HuggingFaceTokenizer tokenizer,
            OnnxSession session, Options options, String id) {
        this.modelFile = modelFile;
        this.tokenizerFile = tokenizerFile;
        this.tokenizer = tokenizer;
        this.session = session;

        session.requireNoInputsOtherThan(Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS),
                "input_ids [+ attention_mask] (CLIP) or input_ids, attention_mask, token_type_ids (BERT)");
        TensorInfo ids = session.requireInput(INPUT_IDS, 2, INTEGER_TYPES);
        TensorInfo mask = session.hasInput(ATTENTION_MASK) ? session.requireInput(ATTENTION_MASK, 2, INTEGER_TYPES) : null;
        TensorInfo types = session.hasInput(TOKEN_TYPE_IDS) ? session.requireInput(TOKEN_TYPE_IDS, 2, INTEGER_TYPES) : null;
        TensorInfo out = session.requireOutput(LAST_HIDDEN_STATE, 3, OnnxJavaType.FLOAT);
        this.idsType = ids.type;
        this.maskType = mask == null ? null : mask.type;
        this.typeIdsType = types == null ? null : types.type;
        this.style = options.style() != null ? options.style() : (types != null ? Style.BERT : Style.CLIP);

        // Fixed sizes anywhere in the signature must agree; -1 means symbolic.
        long fixedT = agree(session, "sequence length", 1, ids, mask, types, out);
        long fixedB = agree(session, "batch size", 0, ids, mask, types, out);
        this.fixedLength = fixedT > 0;
        if (fixedLength && options.maxTokens() > 0 && options.maxTokens() != fixedT) {
            throw session.error("the model fixes the sequence length at " + fixedT + " but maxTokens "
                    + options.maxTokens() + " was asked for");
        }
        if (options.maxTokens() > 0) {
            this.maxTokens = options.maxTokens();
        } else if (fixedLength) {
            this.maxTokens = (int) fixedT;
        } else if (style == Style.CLIP) {
            this.maxTokens = CLIP_MAX_TOKENS;
        } else {
            this.maxTokens = tokJson.truncationLength() > 1 ? tokJson.truncationLength() : BERT_DEFAULT_MAX_TOKENS;
        }
        this.padToMax = fixedLength || style == Style.CLIP || options.padToMaxTokens();
        this.batchLimit = fixedB > 0 ? (int) fixedB : Integer.MAX_VALUE;

        Encoding empty = tokenizer.encode("");
        long[] emptyIds = empty.getIds();
        if (style == Style.CLIP) {
            long[] special = empty.getSpecialTokenMask();
            if (emptyIds.length == 0 || special[emptyIds.length - 1] != 1) {
                throw new IllegalArgumentException(tokenizerFile + ": the tokenizer adds no end-of-text token to a "
                        + "prompt; CLIP-style models need one (is this a CLIP tokenizer.json?)");
            }
            this.padId = emptyIds[emptyIds.length - 1];
        } else {
            this.padId = tokJson.padId();
        }
        if (emptyIds.length > maxTokens) {
            throw new IllegalArgumentException(tokenizerFile + ": the empty prompt is " + emptyIds.length
                    + " tokens, more than maxTokens " + maxTokens);
        }

        long fixedD = OnnxSession.fixedDim(out, 2);
        // A symbolic width is learnt by encoding the empty prompt once.
        this.dim = fixedD > 0 ? (int) fixedD : (int) encode(List.of("")).embeddings().size(2);
        this.id = id;
    }

    /** The fixed size of {@code axis} shared by every given tensor, -1 if none fixes it; throws on disagreement. */
    private static long agree(OnnxSession session, String what, int axis, TensorInfo... infos) {
        long fixed = -1;
        for (TensorInfo info : infos) {
            if (info == null) {
                continue;
            }
            long d = OnnxSession.fixedDim(info, axis);
            if (d > 0 && fixed > 0 && d != fixed) {
                throw session.error("inputs and outputs disagree on the " + what + ": " + session.describeInputs()
                        + " -> " + session.describeOutputs());
            }
            if (d > 0) {
                fixed = d;
            }
        }
        return fixed;
    }

    /** The ONNX model this encoder runs (recorded so a trained model can reopen the same encoder). */
    public Path modelFile() {
        return modelFile;
    }

    /** The tokenizer.json this encoder uses. */
    public Path tokenizerFile() {
        return tokenizerFile;
    }

    public Style style() {
        return style;
    }

    /** The id used to pad: end-of-text for CLIP, the tokenizer's pad id for BERT. */
    public long padId() {
        return padId;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public String id() {
        return id;
    }

    /**
     * The token ids each prompt is fed as, truncated but not padded, so callers can see what the model sees.
     */
    public List<long[]> tokenIds(List<String> prompts) {
        List<long[]> out = new ArrayList<>();
        for (Tokens t : tokenize(prompts)) {
            out.add(t.ids.clone());
        }
        return out;
    }

    @Override
    public TextEmbeddings encode(List<String> prompts) {
        List<Tokens> tokens = tokenize(prompts);
        int b = tokens.size();
        int t = padToMax ? maxTokens : tokens.stream().mapToInt(x -> x.ids.length).max().orElse(1);
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] typeIds = new long[b * t];
        Arrays.fill(ids, padId);
        for (int i = 0; i < b; i++) {
            Tokens tok = tokens.get(i);
            System.arraycopy(tok.ids, 0, ids, i * t, tok.ids.length);
            System.arraycopy(tok.typeIds, 0, typeIds, i * t, tok.ids.length);
            Arrays.fill(mask, i * t, i * t + tok.ids.length, 1L);
        }
        INDArray embeddings = run(ids, mask, typeIds, b, t);
        float[] maskF = new float[b * t];
        for (int i = 0; i < maskF.length; i++) {
            maskF[i] = mask[i];
        }
        return new TextEmbeddings(embeddings, Nd4j.create(maskF, new long[] {b, t}, DataType.FLOAT));
    }

    private record Tokens(long[] ids, long[] typeIds) {
    }

    private List<Tokens> tokenize(List<String> prompts) {
        if (prompts == null || prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must be a non-empty list");
        }
        String[] texts = new String[prompts.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = prompts.get(i);
            if (texts[i] == null) {
                throw new IllegalArgumentException("prompt " + i + " is null");
            }
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        List<Tokens> out = new ArrayList<>(texts.length);
        for (Encoding e : encodings) {
            long[] ids = e.getIds();
            long[] typeIds = e.getTypeIds();
            long[] special = e.getSpecialTokenMask();
            if (ids.length > maxTokens) {
                // Keep the closing special token (CLIP's end-of-text, BERT's [SEP]): the models read the sentence
                // summary there. Without one, plain truncation.
                boolean keepLast = special[ids.length - 1] == 1;
                long[] cutIds = Arrays.copyOf(ids, maxTokens);
                long[] cutTypes = Arrays.copyOf(typeIds, maxTokens);
                if (keepLast) {
                    cutIds[maxTokens - 1] = ids[ids.length - 1];
                    cutTypes[maxTokens - 1] = typeIds[ids.length - 1];
                }
                ids = cutIds;
                typeIds = cutTypes;
            }
            out.add(new Tokens(ids, typeIds));
        }
        return out;
    }

    /** Runs the model on padded [b,t] inputs in chunks of the model's batch limit; returns [b,t,D]. */
    private INDArray run(long[] ids, long[] mask, long[] typeIds, int b, int t) {
        int chunk = Math.min(b, batchLimit);
        List<INDArray> parts = new ArrayList<>();
        for (int start = 0; start < b; start += chunk) {
            int n = Math.min(chunk, b - start);
            // A model with a fixed batch size gets full chunks: the last one is topped up with copies of its first row.
            int fed = batchLimit == Integer.MAX_VALUE ? n : batchLimit;
            long[] idsC = rows(ids, start, n, fed, t);
            long[] maskC = rows(mask, start, n, fed, t);
            long[] typesC = rows(typeIds, start, n, fed, t);
            INDArray out = runChunk(idsC, maskC, typesC, fed, t);
            parts.add(n == fed ? out : out.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup());
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    private static long[] rows(long[] data, int start, int n, int fed, int t) {
        long[] out = new long[fed * t];
        for (int r = 0; r < fed; r++) {
            int src = start + (r < n ? r : 0);
            System.arraycopy(data, src * t, out, r * t, t);
        }
        return out;
    }

    private INDArray runChunk(long[] ids, long[] mask, long[] typeIds, int b, int t) {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            feeds.put(INPUT_IDS, OnnxTensors.integers(session.env(), idsType, ids, b, t));
            if (maskType != null) {
                feeds.put(ATTENTION_MASK, OnnxTensors.integers(session.env(), maskType, mask, b, t));
            }
            if (typeIdsType != null) {
                feeds.put(TOKEN_TYPE_IDS, OnnxTensors.integers(session.env(), typeIdsType, typeIds, b, t));
            }
            try (OrtSession.Result result = session.run(feeds, Set.of(LAST_HIDDEN_STATE))) {
                INDArray out = OnnxTensors.toArray(result.get(0));
                if (out.rank() != 3 || out.size(0) != b || out.size(1) != t) {
                    throw new OnnxModelException(modelFile, "last_hidden_state came out " + Arrays.toString(out.shape())
                            + " for input_ids [" + b + "," + t + "], expected [" + b + "," + t + ",D]");
                }
                return out;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            tokenizer.close();
        } finally {
            session.close();
        }
    }

    /** The two settings read from tokenizer.json itself: the pad id and the truncation length. */
    record TokenizerJson(long padId, int truncationLength) {
        static TokenizerJson read(Path file) throws IOException {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(file.toFile());
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new IllegalArgumentException(file + ": not a JSON tokenizer file: " + e.getOriginalMessage(), e);
            }
            if (root == null || !root.has("model")) {
                throw new IllegalArgumentException(file + ": not a Hugging Face tokenizer.json (no \"model\" section)");
            }
            long pad = 0; // BERT's [PAD] is 0, and DJL pads with 0 too
            JsonNode padding = root.path("padding");
            if (padding.has("pad_id")) {
                pad = padding.get("pad_id").asLong();
            } else {
                for (JsonNode t : root.path("added_tokens")) {
                    if ("[PAD]".equals(t.path("content").asText()) || "<pad>".equals(t.path("content").asText())) {
                        pad = t.path("id").asLong();
                    }
                }
            }
            int trunc = root.path("truncation").path("max_length").asInt(0);
            return new TokenizerJson(pad, trunc);
        }
    }
}
