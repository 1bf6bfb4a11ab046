package dev.t2v.data.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.data.msrvtt.SplitSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code dataset.json}: what a preprocessed dataset was made from and with, so that training can size its model and
 * a resumed run can refuse to mix shards made by other models or settings.
 *
 * @param formatVersion {@link #FORMAT_VERSION}
 * @param textEncoderId the text encoder's {@code id()} (model and tokenizer hashes)
 * @param textDim D, the text embedding width
 * @param maxTokens the most tokens a caption keeps (special tokens included)
 * @param codecId the latent codec's {@code id()}
 * @param scalingFactor latents are the codec's latent times this
 * @param latentChannels C
 * @param downsample frame size over latent size
 * @param frames F, frames per clip
 * @param fps the clips' frame rate
 * @param size S, the clips' frame width and height before encoding
 * @param clipsPerVideo clip windows asked for per video (shorter videos may give fewer distinct ones)
 * @param videosPerShard G, videos per shard (the last shard may hold fewer)
 * @param splits the selected splits, as {@code --split} spells them ({@code train}, {@code validate}, {@code test}, or
 *     the retrieval splits {@code 9k-train}, {@code 1k-a-test}; {@link SplitSelection})
 * @param limit the most videos taken (in video-id order), 0 for all
 * @param sourcePath the data directory, absolute
 * @param annotationSha256 SHA-256 of the parsed annotation re-serialised canonically
 * @param created ISO-8601 instant of the first run that wrote the directory
 * @param textModel the text encoder's ONNX model, absolute; {@code null} when unknown (for reopening the encoder
 *     with a trained model; not compared by {@link #differencesFrom})
 * @param textTokenizer the text encoder's tokenizer.json, absolute; {@code null} when unknown
 * @param codecEncoder the codec's encoder model, absolute; {@code null} when unknown
 * @param codecDecoder the codec's decoder model, absolute; {@code null} when unknown
 */
public record DatasetInfo(
        int formatVersion,
        String textEncoderId,
        int textDim,
        int maxTokens,
        String codecId,
        double scalingFactor,
        int latentChannels,
        int downsample,
        int frames,
        double fps,
        int size,
        int clipsPerVideo,
        int videosPerShard,
        List<String> splits,
        int limit,
        String sourcePath,
        String annotationSha256,
        String created,
        String textModel,
        String textTokenizer,
        String codecEncoder,
        String codecDecoder) {

    public static final int FORMAT_VERSION = 1;
    /** How clip windows are placed; recorded so a future placement cannot be mistaken for this one. */
    public static final String PLACEMENT = "centred-in-equal-segments";
    private static final Set<String> SPLIT_NAMES = Set.copyOf(SplitSelection.NAMES);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DatasetInfo {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("format_version must be " + FORMAT_VERSION + ", got " + formatVersion);
        }
        requireText(textEncoderId, "text encoder id");
        requireText(codecId, "codec id");
        requirePositive(textDim, "textDim");
        requirePositive(maxTokens, "maxTokens");
        requirePositive(latentChannels, "latentChannels");
        requirePositive(downsample, "downsample");
        requirePositive(frames, "frames");
        requirePositive(size, "size");
        requirePositive(clipsPerVideo, "clipsPerVideo");
        requirePositive(videosPerShard, "videosPerShard");
        if (!(scalingFactor > 0) || Double.isInfinite(scalingFactor)) {
            throw new IllegalArgumentException("scalingFactor must be finite and > 0, got " + scalingFactor);
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be finite and > 0, got " + fps);
        }
        if (size % downsample != 0) {
            throw new IllegalArgumentException("size " + size + " must be a multiple of the downsample " + downsample);
        }
        splits = List.copyOf(Objects.requireNonNull(splits, "splits"));
        if (splits.isEmpty() || !SPLIT_NAMES.containsAll(splits) || Set.copyOf(splits).size() != splits.size()) {
            throw new IllegalArgumentException("splits must be distinct names among " + SPLIT_NAMES + ", got " + splits);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0: no limit), got " + limit);
        }
        requireText(sourcePath, "source path");
        requireText(annotationSha256, "annotation sha256");
        requireText(created, "created");
        optionalText(textModel, "text model path");
        optionalText(textTokenizer, "tokenizer path");
        optionalText(codecEncoder, "codec encoder path");
        optionalText(codecDecoder, "codec decoder path");
    }

    /** A description without the model files' paths. */
    public DatasetInfo(int formatVersion, String textEncoderId, int textDim, int maxTokens, String codecId,
            double scalingFactor, int latentChannels, int downsample, int frames, double fps, int size,
            int clipsPerVideo, int videosPerShard, List<String> splits, int limit, String sourcePath,
            String annotationSha256, String created) {
        this(formatVersion, textEncoderId, textDim, maxTokens, codecId, scalingFactor, latentChannels, downsample,
                frames, fps, size, clipsPerVideo, videosPerShard, splits, limit, sourcePath, annotationSha256, created,
                null, null, null, null);
    }

    private static void optionalText(String s, String what) {
        if (s != null && s.isBlank()) {
            throw new IllegalArgumentException(what + " must be null or a non-empty string");
        }
    }

    private static void requireText(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must be a non-empty string");
        }
    }

    private static void requirePositive(int v, String what) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be >= 1, got " + v);
        }
    }

    /** h = w = size / downsample. */
    public int latentSize() {
        return size / downsample;
    }

    /** Floats in one clip's latents: F*C*h*w. */
    public int latentFloatsPerClip() {
        return frames * latentChannels * latentSize() * latentSize();
    }

    /** The same dataset description with another creation time. */
    public DatasetInfo withCreated(String newCreated) {
        return new DatasetInfo(formatVersion, textEncoderId, textDim, maxTokens, codecId, scalingFactor,
                latentChannels, downsample, frames, fps, size, clipsPerVideo, videosPerShard, splits, limit, sourcePath,
                annotationSha256, newCreated, textModel, textTokenizer, codecEncoder, codecDecoder);
    }

    /**
     * The same description recording where the text encoder's and codec's files are (each may be {@code null}), so a
     * model trained on the dataset can name them.
     */
    public DatasetInfo withModelFiles(String newTextModel, String newTextTokenizer, String newCodecEncoder,
            String newCodecDecoder) {
        return new DatasetInfo(formatVersion, textEncoderId, textDim, maxTokens, codecId, scalingFactor,
                latentChannels, downsample, frames, fps, size, clipsPerVideo, videosPerShard, splits, limit, sourcePath,
                annotationSha256, created, newTextModel, newTextTokenizer, newCodecEncoder, newCodecDecoder);
    }

    /**
     * What differs between the settings that decide the shards' content, one readable line each; empty when
     * shards of {@code this} and {@code other} may be mixed. The creation time and the data directory's path are
     * not compared (the same annotation moved elsewhere gives the same shards).
     */
    public List<String> differencesFrom(DatasetInfo other) {
        List<String> d = new ArrayList<>();
        diff(d, "text encoder", textEncoderId, other.textEncoderId);
        diff(d, "text dim", textDim, other.textDim);
        diff(d, "max tokens", maxTokens, other.maxTokens);
        diff(d, "codec", codecId, other.codecId);
        diff(d, "scaling factor", scalingFactor, other.scalingFactor);
        diff(d, "latent channels", latentChannels, other.latentChannels);
        diff(d, "downsample", downsample, other.downsample);
        diff(d, "frames", frames, other.frames);
        diff(d, "fps", fps, other.fps);
        diff(d, "size", size, other.size);
        diff(d, "clips per video", clipsPerVideo, other.clipsPerVideo);
        diff(d, "videos per shard", videosPerShard, other.videosPerShard);
        diff(d, "splits", splits, other.splits);
        diff(d, "limit", limit, other.limit);
        diff(d, "annotation sha256", annotationSha256, other.annotationSha256);
        return d;
    }

    private static void diff(List<String> out, String what, Object mine, Object theirs) {
        if (!Objects.equals(mine, theirs)) {
            out.add(what + " " + theirs + " (this run: " + mine + ")");
        }
    }

    /** Pretty-printed JSON with a trailing newline, keys in a fixed order. */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", formatVersion);
        ObjectNode text = root.putObject("text_encoder");
        text.put("id", textEncoderId);
        text.put("dim", textDim);
        text.put("max_tokens", maxTokens);
        putIfPresent(text, "model", textModel);
        putIfPresent(text, "tokenizer", textTokenizer);
        ObjectNode codec = root.putObject("codec");
        codec.put("id", codecId);
        codec.put("scaling_factor", scalingFactor);
        codec.put("latent_channels", latentChannels);
        codec.put("downsample", downsample);
        putIfPresent(codec, "encoder", codecEncoder);
        putIfPresent(codec, "decoder", codecDecoder);
        ObjectNode clip = root.putObject("clip");
        clip.put("frames", frames);
        clip.put("fps", fps);
        clip.put("size", size);
        clip.put("latent_size", latentSize());
        clip.put("clips_per_video", clipsPerVideo);
        clip.put("window_seconds", frames / fps);
        clip.put("placement", PLACEMENT);
        ObjectNode shards = root.putObject("shards");
        shards.put("videos_per_shard", videosPerShard);
        shards.put("latents_dtype", "F32");
        shards.put("text_dtype", "F16");
        ObjectNode selection = root.putObject("selection");
        splits.forEach(selection.putArray("splits")::add);
        if (limit > 0) {
            selection.put("limit", limit);
        } else {
            selection.putNull("limit");
        }
        ObjectNode source = root.putObject("source");
        source.put("path", sourcePath);
        source.put("annotation_sha256", annotationSha256);
        root.put("created", created);
        try {
            byte[] body = JSON.writeValueAsBytes(root);
            byte[] out = java.util.Arrays.copyOf(body, body.length + 1);
            out[body.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise dataset.json", e);
        }
    }

    private static void putIfPresent(ObjectNode n, String key, String value) {
        if (value != null) {
            n.put(key, value);
        }
    }

    /** Reads {@code dir/dataset.json}. */
    public static DatasetInfo read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "no dataset.json: not a preprocessed dataset (run t2v preprocess)");
        }
        return parse(Files.readAllBytes(file), file.toString());
    }

    /**
     * Parses dataset.json; a missing or ill-typed field is an {@link IOException} naming {@code source} and the field.
     */
    public static DatasetInfo parse(byte[] json, String source) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": invalid JSON: " + e.getOriginalMessage());
        }
        Fields f = new Fields(source);
        if (root == null || !root.isObject()) {
            throw f.error("(top)", "expected a JSON object");
        }
        int version = f.integer(root, "format_version");
        if (version != FORMAT_VERSION) {
            throw f.error("format_version", "expected " + FORMAT_VERSION + ", got " + version
                    + " (written by another t2v version?)");
        }
        JsonNode text = f.object(root, "text_encoder");
        JsonNode codec = f.object(root, "codec");
        JsonNode clip = f.object(root, "clip");
        JsonNode shards = f.object(root, "shards");
        JsonNode selection = f.object(root, "selection");
        JsonNode src = f.object(root, "source");
        String placement = f.text(clip, "clip.placement");
        if (!placement.equals(PLACEMENT)) {
            throw f.error("clip.placement", "expected \"" + PLACEMENT + "\", got \"" + placement + "\"");
        }
        JsonNode splitsNode = selection.get("splits");
        if (splitsNode == null || !splitsNode.isArray()) {
            throw f.error("selection.splits", "expected an array of split names");
        }
        List<String> splits = new ArrayList<>();
        splitsNode.forEach(n -> splits.add(n.asText()));
        JsonNode limitNode = selection.get("limit");
        int limit = limitNode == null || limitNode.isNull() ? 0 : f.integer(selection, "selection.limit");
        try {
            return new DatasetInfo(version,
                    f.text(text, "text_encoder.id"), f.integer(text, "text_encoder.dim"),
                    f.integer(text, "text_encoder.max_tokens"),
                    f.text(codec, "codec.id"), f.number(codec, "codec.scaling_factor"),
                    f.integer(codec, "codec.latent_channels"), f.integer(codec, "codec.downsample"),
                    f.integer(clip, "clip.frames"), f.number(clip, "clip.fps"), f.integer(clip, "clip.size"),
                    f.integer(clip, "clip.clips_per_video"), f.integer(shards, "shards.videos_per_shard"),
                    splits, limit, f.text(src, "source.path"), f.text(src, "source.annotation_sha256"),
                    f.text(root, "created"), f.optionalText(text, "text_encoder.model"),
                    f.optionalText(text, "text_encoder.tokenizer"), f.optionalText(codec, "codec.encoder"),
                    f.optionalText(codec, "codec.decoder"));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    /** Field readers whose errors name the file and the JSON path. */
    private record Fields(String source) {
        IOException error(String path, String what) {
            return new IOException(source + ": " + path + ": " + what);
        }

        private JsonNode field(JsonNode parent, String path) throws IOException {
            String key = path.substring(path.lastIndexOf('.') + 1);
            JsonNode v = parent.get(key);
            if (v == null || v.isNull()) {
                throw error(path, "missing");
            }
            return v;
        }

        JsonNode object(JsonNode parent, String path) throws IOException {
            JsonNode v = field(parent, path);
            if (!v.isObject()) {
                throw error(path, "expected an object");
            }
            return v;
        }

        int integer(JsonNode parent, String path) throws IOException {
            JsonNode v = field(parent, path);
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                throw error(path, "expected an integer, got " + v);
            }
            return v.intValue();
        }

        double number(JsonNode parent, String path) throws IOException {
            JsonNode v = field(parent, path);
            if (!v.isNumber()) {
                throw error(path, "expected a number, got " + v);
            }
            return v.doubleValue();
        }

        String text(JsonNode parent, String path) throws IOException {
            JsonNode v = field(parent, path);
            if (!v.isTextual()) {
                throw error(path, "expected a string, got " + v);
            }
            return v.textValue();
        }

        /** A string that may be absent (or null). */
        String optionalText(JsonNode parent, String path) throws IOException {
            JsonNode v = parent.get(path.substring(path.lastIndexOf('.') + 1));
            return v == null || v.isNull() ? null : text(parent, path);
        }
    }
}
