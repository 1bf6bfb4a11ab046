package dev.t2v.data.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.t2v.core.io.JsonRecords;
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
 * @param latents the scaled latents' mean and std as preprocessing measured them; {@code null} when unknown (files
 *     written before they were recorded; not compared by {@link #differencesFrom})
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
        String codecDecoder,
        LatentStats latents) {

    public static final int FORMAT_VERSION = 1;
    /** How clip windows are placed; recorded so a future placement cannot be mistaken for this one. */
    public static final String PLACEMENT = "centred-in-equal-segments";
    private static final Set<String> SPLIT_NAMES = Set.copyOf(SplitSelection.NAMES);

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
                null, null, null, null, null);
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
                annotationSha256, newCreated, textModel, textTokenizer, codecEncoder, codecDecoder, latents);
    }

    /**
     * The same description recording where the text encoder's and codec's files are (each may be {@code null}), so a
     * model trained on the dataset can name them.
     */
    public DatasetInfo withModelFiles(String newTextModel, String newTextTokenizer, String newCodecEncoder,
            String newCodecDecoder) {
        return new DatasetInfo(formatVersion, textEncoderId, textDim, maxTokens, codecId, scalingFactor,
                latentChannels, downsample, frames, fps, size, clipsPerVideo, videosPerShard, splits, limit, sourcePath,
                annotationSha256, created, newTextModel, newTextTokenizer, newCodecEncoder, newCodecDecoder, latents);
    }

    /** The same description with the measured latent statistics ({@code null}: unknown). */
    public DatasetInfo withLatents(LatentStats newLatents) {
        return new DatasetInfo(formatVersion, textEncoderId, textDim, maxTokens, codecId, scalingFactor,
                latentChannels, downsample, frames, fps, size, clipsPerVideo, videosPerShard, splits, limit, sourcePath,
                annotationSha256, created, textModel, textTokenizer, codecEncoder, codecDecoder, newLatents);
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
        return JsonRecords.write(new Json(formatVersion,
                new TextJson(textEncoderId, textDim, maxTokens, textModel, textTokenizer),
                new CodecJson(codecId, scalingFactor, latentChannels, downsample, codecEncoder, codecDecoder),
                new ClipJson(frames, fps, size, clipsPerVideo, PLACEMENT, latentSize()),
                new ShardsJson(videosPerShard), new SelectionJson(splits, limit > 0 ? limit : null),
                new SourceJson(sourcePath, annotationSha256), created, latents));
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
     * Parses dataset.json; a missing or ill-typed field is an {@link IOException} naming {@code source}, the JSON path
     * and what was expected.
     */
    public static DatasetInfo parse(byte[] json, String source) throws IOException {
        // The version first: another version's fields would fail with a less helpful message
        int version = JsonRecords.read(json, Version.class, source).formatVersion();
        if (version != FORMAT_VERSION) {
            throw new IOException(source + ": format_version: expected " + FORMAT_VERSION + ", got " + version
                    + " (written by another t2v version?)");
        }
        Json j = JsonRecords.read(json, Json.class, source);
        if (!j.clip().placement().equals(PLACEMENT)) {
            throw new IOException(source + ": clip.placement: expected \"" + PLACEMENT + "\", got \""
                    + j.clip().placement() + "\"");
        }
        try {
            return new DatasetInfo(version, j.textEncoder().id(), j.textEncoder().dim(), j.textEncoder().maxTokens(),
                    j.codec().id(), j.codec().scalingFactor(), j.codec().latentChannels(), j.codec().downsample(),
                    j.clip().frames(), j.clip().fps(), j.clip().size(), j.clip().clipsPerVideo(),
                    j.shards().videosPerShard(), j.selection().splits(),
                    j.selection().limit() == null ? 0 : j.selection().limit(), j.source().path(),
                    j.source().annotationSha256(), j.created(), j.textEncoder().model(), j.textEncoder().tokenizer(),
                    j.codec().encoder(), j.codec().decoder(), j.latents());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    // The file's layout, for Jackson: required fields are marked; the others may be absent or null.

    private record Version(@JsonProperty(value = "format_version", required = true) int formatVersion) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"format_version", "text_encoder", "codec", "clip", "shards", "selection", "source", "created",
            "latents"})
    private record Json(
            @JsonProperty(value = "format_version", required = true) int formatVersion,
            @JsonProperty(value = "text_encoder", required = true) TextJson textEncoder,
            @JsonProperty(value = "codec", required = true) CodecJson codec,
            @JsonProperty(value = "clip", required = true) ClipJson clip,
            @JsonProperty(value = "shards", required = true) ShardsJson shards,
            @JsonProperty(value = "selection", required = true) SelectionJson selection,
            @JsonProperty(value = "source", required = true) SourceJson source,
            @JsonProperty(value = "created", required = true) String created,
            @JsonProperty("latents") @JsonSetter(nulls = Nulls.SET) LatentStats latents) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "dim", "max_tokens", "model", "tokenizer"})
    private record TextJson(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "dim", required = true) int dim,
            @JsonProperty(value = "max_tokens", required = true) int maxTokens,
            @JsonProperty("model") @JsonSetter(nulls = Nulls.SET) String model,
            @JsonProperty("tokenizer") @JsonSetter(nulls = Nulls.SET) String tokenizer) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"id", "scaling_factor", "latent_channels", "downsample", "encoder", "decoder"})
    private record CodecJson(
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "scaling_factor", required = true) double scalingFactor,
            @JsonProperty(value = "latent_channels", required = true) int latentChannels,
            @JsonProperty(value = "downsample", required = true) int downsample,
            @JsonProperty("encoder") @JsonSetter(nulls = Nulls.SET) String encoder,
            @JsonProperty("decoder") @JsonSetter(nulls = Nulls.SET) String decoder) {
    }

    /** {@code latent_size} and {@code window_seconds} are written for readers; they follow from the rest. */
    @JsonPropertyOrder({"frames", "fps", "size", "latent_size", "clips_per_video", "window_seconds", "placement"})
    private record ClipJson(
            @JsonProperty(value = "frames", required = true) int frames,
            @JsonProperty(value = "fps", required = true) double fps,
            @JsonProperty(value = "size", required = true) int size,
            @JsonProperty(value = "clips_per_video", required = true) int clipsPerVideo,
            @JsonProperty(value = "placement", required = true) String placement,
            @JsonProperty("latent_size") @JsonSetter(nulls = Nulls.SET) Integer latentSize) {
        @JsonProperty("window_seconds")
        double windowSeconds() {
            return frames / fps;
        }
    }

    /** The dtypes are written for readers; this version always writes F32 latents and F16 text. */
    @JsonPropertyOrder({"videos_per_shard", "latents_dtype", "text_dtype"})
    private record ShardsJson(@JsonProperty(value = "videos_per_shard", required = true) int videosPerShard) {
        @JsonProperty("latents_dtype")
        String latentsDtype() {
            return "F32";
        }

        @JsonProperty("text_dtype")
        String textDtype() {
            return "F16";
        }
    }

    /** {@code limit} is written as {@code null} when there is none. */
    @JsonPropertyOrder({"splits", "limit"})
    private record SelectionJson(
            @JsonProperty(value = "splits", required = true) List<String> splits,
            @JsonProperty("limit") @JsonSetter(nulls = Nulls.SET) @JsonInclude(JsonInclude.Include.ALWAYS)
            Integer limit) {
    }

    @JsonPropertyOrder({"path", "annotation_sha256"})
    private record SourceJson(
            @JsonProperty(value = "path", required = true) String path,
            @JsonProperty(value = "annotation_sha256", required = true) String annotationSha256) {
    }
}
