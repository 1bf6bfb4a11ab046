package dev.t2v.core.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.core.io.JsonRecords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * A model bundle's {@code model.json}: what to build, how it was trained, and the text encoder and codec to use with it.
 * See docs/formats.md ("Model bundle").
 *
 * @param denoiser the denoiser's architecture and sizes
 * @param scheduler the noise schedule it was trained with (diffusers names)
 * @param textEncoder the text encoder its conditioning came from
 * @param codec the latent codec, {@code null} when the bundle has none (it can then not decode videos)
 * @param video the clips it was trained on
 * @param sampling generation defaults
 * @param provenance where it came from
 */
public record BundleInfo(DenoiserConfig denoiser, SchedulerConfig scheduler, TextEncoderRef textEncoder,
        CodecRef codec, VideoSpec video, SamplingDefaults sampling, Provenance provenance) {
    public static final int FORMAT_VERSION = 1;

    public BundleInfo {
        Objects.requireNonNull(denoiser, "denoiser config is required");
        Objects.requireNonNull(scheduler, "scheduler config is required");
        Objects.requireNonNull(textEncoder, "text encoder reference is required");
        Objects.requireNonNull(video, "video spec is required");
        Objects.requireNonNull(sampling, "sampling defaults are required");
        Objects.requireNonNull(provenance, "provenance is required");
        if (textEncoder.dim() != denoiser.textDim()) {
            throw new IllegalArgumentException("the text encoder's dim " + textEncoder.dim()
                    + " differs from the denoiser's text_dim " + denoiser.textDim());
        }
        if (codec != null && codec.latentChannels() != denoiser.latentChannels()) {
            throw new IllegalArgumentException("the codec's " + codec.latentChannels()
                    + " latent channels differ from the denoiser's " + denoiser.latentChannels());
        }
        if (codec != null && video.size() != denoiser.latentSize() * codec.downsample()) {
            throw new IllegalArgumentException("video size " + video.size() + " is not the denoiser's latent size "
                    + denoiser.latentSize() + " times the codec's downsample " + codec.downsample());
        }
    }

    public BundleInfo withTextEncoder(TextEncoderRef ref) {
        return new BundleInfo(denoiser, scheduler, ref, codec, video, sampling, provenance);
    }

    public BundleInfo withCodec(CodecRef ref) {
        return new BundleInfo(denoiser, scheduler, textEncoder, ref, video, sampling, provenance);
    }

    public BundleInfo withProvenance(Provenance p) {
        return new BundleInfo(denoiser, scheduler, textEncoder, codec, video, sampling, p);
    }

    public BundleInfo withSampling(SamplingDefaults s) {
        return new BundleInfo(denoiser, scheduler, textEncoder, codec, video, s, provenance);
    }

    /** Pretty-printed model.json with a trailing newline, keys in a fixed order. */
    public byte[] toJson() {
        try {
            return JsonRecords.write(new Json(FORMAT_VERSION, JsonRecords.MAPPER.readTree(denoiser.toJson()),
                    JsonRecords.MAPPER.readTree(scheduler.toJson()), TextJson.of(textEncoder),
                    codec == null ? null : CodecJson.of(codec),
                    new VideoJson(video.frames(), video.fps(), video.size()), SamplingJson.of(sampling),
                    ProvenanceJson.of(provenance)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise model.json", e);
        }
    }

    /**
     * Parses model.json; a missing or ill-typed field is an {@link IOException} naming {@code source}, the JSON path
     * and what was expected.
     */
    public static BundleInfo parse(byte[] json, String source) throws IOException {
        // The version first: another version's fields would fail with a less helpful message
        int version = JsonRecords.read(json, Version.class, source).formatVersion();
        if (version != FORMAT_VERSION) {
            throw new IOException(source + ": format_version: expected " + FORMAT_VERSION + ", got " + version
                    + " (written by another t2v version?)");
        }
        Json j = JsonRecords.read(json, Json.class, source);
        DenoiserConfig denoiser;
        SchedulerConfig scheduler;
        try {
            denoiser = DenoiserConfig.fromJson(object(j.denoiser(), "denoiser", source).toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": denoiser: " + e.getMessage(), e);
        }
        try {
            scheduler = SchedulerConfig.fromJson(object(j.scheduler(), "scheduler", source).toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": scheduler: " + e.getMessage(), e);
        }
        TextEncoderRef text = j.textEncoder().ref(source);
        CodecRef codec = j.codec() == null ? null : j.codec().ref(source);
        if (j.provenance().trainingConfig() != null) {
            object(j.provenance().trainingConfig(), "provenance.training_config", source);
        }
        try {
            return new BundleInfo(denoiser, scheduler, text, codec,
                    new VideoSpec(j.video().frames(), j.video().fps(), j.video().size()), j.sampling().defaults(),
                    j.provenance().provenance());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    /** {@link #parse(byte[], String)} of a string. */
    public static BundleInfo parse(String json, String source) throws IOException {
        return parse(json.getBytes(StandardCharsets.UTF_8), source);
    }

    private static JsonNode object(JsonNode n, String path, String source) throws IOException {
        if (!n.isObject()) {
            throw new IOException(source + ": " + path + ": expected an object, got " + n);
        }
        return n;
    }

    // The file's layout, for Jackson: required fields are marked; the others may be absent or null.

    private record Version(@JsonProperty(value = "format_version", required = true) int formatVersion) {
    }

    /** {@code codec} is written as {@code null} for a bundle without one. */
    @JsonPropertyOrder({"format_version", "denoiser", "scheduler", "text_encoder", "codec", "video", "sampling",
            "provenance"})
    private record Json(
            @JsonProperty(value = "format_version", required = true) int formatVersion,
            @JsonProperty(value = "denoiser", required = true) JsonNode denoiser,
            @JsonProperty(value = "scheduler", required = true) JsonNode scheduler,
            @JsonProperty(value = "text_encoder", required = true) TextJson textEncoder,
            @JsonProperty("codec") @JsonSetter(nulls = Nulls.SET) CodecJson codec,
            @JsonProperty(value = "video", required = true) VideoJson video,
            @JsonProperty(value = "sampling", required = true) SamplingJson sampling,
            @JsonProperty(value = "provenance", required = true) ProvenanceJson provenance) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "model", "tokenizer", "style", "id", "dim", "max_tokens"})
    private record TextJson(
            @JsonProperty(value = "kind", required = true) String kind,
            @JsonProperty("model") @JsonSetter(nulls = Nulls.SET) String model,
            @JsonProperty("tokenizer") @JsonSetter(nulls = Nulls.SET) String tokenizer,
            @JsonProperty("style") @JsonSetter(nulls = Nulls.SET) String style,
            @JsonProperty(value = "id", required = true) String id,
            @JsonProperty(value = "dim", required = true) int dim,
            @JsonProperty(value = "max_tokens", required = true) int maxTokens) {
        static TextJson of(TextEncoderRef r) {
            return new TextJson(r.kind().name().toLowerCase(Locale.ROOT), r.model(), r.tokenizer(), r.style(), r.id(),
                    r.dim(), r.maxTokens());
        }

        TextEncoderRef ref(String source) throws IOException {
            TextEncoderRef.Kind k = switch (kind) {
                case "minilm" -> TextEncoderRef.Kind.MINILM;
                case "onnx" -> TextEncoderRef.Kind.ONNX;
                default -> throw new IOException(source + ": text_encoder.kind: expected \"minilm\" or \"onnx\", "
                        + "got \"" + kind + "\"");
            };
            if (style != null && !TextEncoderRef.STYLES.contains(style)) {
                throw new IOException(source + ": text_encoder.style: expected \"clip\" or \"bert\", got \"" + style
                        + "\"");
            }
            if (k == TextEncoderRef.Kind.ONNX && (model == null || tokenizer == null)) {
                throw new IOException(source + ": text_encoder." + (model == null ? "model" : "tokenizer")
                        + ": missing (an onnx text encoder names its files)");
            }
            try {
                return new TextEncoderRef(k, k == TextEncoderRef.Kind.ONNX ? model : null,
                        k == TextEncoderRef.Kind.ONNX ? tokenizer : null, style, id, dim, maxTokens);
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": text_encoder: " + e.getMessage(), e);
            }
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "encoder", "decoder", "scaling_factor", "latent_channels", "downsample", "id"})
    private record CodecJson(
            @JsonProperty(value = "kind", required = true) String kind,
            @JsonProperty("encoder") @JsonSetter(nulls = Nulls.SET) String encoder,
            @JsonProperty(value = "decoder", required = true) String decoder,
            @JsonProperty(value = "scaling_factor", required = true) double scalingFactor,
            @JsonProperty(value = "latent_channels", required = true) int latentChannels,
            @JsonProperty(value = "downsample", required = true) int downsample,
            @JsonProperty(value = "id", required = true) String id) {
        static CodecJson of(CodecRef r) {
            return new CodecJson(CodecRef.KIND, r.encoder(), r.decoder(), r.scalingFactor(), r.latentChannels(),
                    r.downsample(), r.id());
        }

        CodecRef ref(String source) throws IOException {
            if (!kind.equals(CodecRef.KIND)) {
                throw new IOException(source + ": codec.kind: expected \"" + CodecRef.KIND + "\", got \"" + kind
                        + "\"");
            }
            try {
                return new CodecRef(encoder, decoder, scalingFactor, latentChannels, downsample, id);
            } catch (IllegalArgumentException e) {
                throw new IOException(source + ": codec: " + e.getMessage(), e);
            }
        }
    }

    @JsonPropertyOrder({"frames", "fps", "size"})
    private record VideoJson(
            @JsonProperty(value = "frames", required = true) int frames,
            @JsonProperty(value = "fps", required = true) double fps,
            @JsonProperty(value = "size", required = true) int size) {
    }

    /** {@code guidance_interval} is written only when guidance does not apply at every step. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"sampler", "steps", "guidance", "guidance_interval"})
    private record SamplingJson(
            @JsonProperty(value = "sampler", required = true) String sampler,
            @JsonProperty(value = "steps", required = true) int steps,
            @JsonProperty(value = "guidance", required = true) double guidance,
            @JsonProperty("guidance_interval") @JsonSetter(nulls = Nulls.SET) String guidanceInterval) {
        static SamplingJson of(SamplingDefaults d) {
            return new SamplingJson(d.sampler(), d.steps(), d.guidance(),
                    d.guidanceInterval().equals(GuidanceInterval.ALWAYS) ? null : d.guidanceInterval().label());
        }

        SamplingDefaults defaults() {
            return new SamplingDefaults(sampler, steps, guidance,
                    guidanceInterval == null ? null : GuidanceInterval.parse(guidanceInterval));
        }
    }

    /** {@code git_revision} is written as {@code null} when unknown; {@code training_config} only when known. */
    @JsonPropertyOrder({"data_manifest_sha256", "steps", "epochs", "seed", "git_revision", "created",
            "training_config", "t2v_version"})
    private record ProvenanceJson(
            @JsonProperty(value = "data_manifest_sha256", required = true) String dataManifestSha256,
            @JsonProperty(value = "steps", required = true) long steps,
            @JsonProperty(value = "epochs", required = true) long epochs,
            @JsonProperty(value = "seed", required = true) long seed,
            @JsonProperty("git_revision") @JsonSetter(nulls = Nulls.SET) String gitRevision,
            @JsonProperty(value = "created", required = true) String created,
            @JsonProperty("training_config") @JsonSetter(nulls = Nulls.SET)
            @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode trainingConfig,
            @JsonProperty(value = "t2v_version", required = true) String t2vVersion) {
        static ProvenanceJson of(Provenance p) throws IOException {
            return new ProvenanceJson(p.dataManifestSha256(), p.steps(), p.epochs(), p.seed(), p.gitRevision(),
                    p.created(), p.trainingConfigJson() == null ? null
                            : JsonRecords.MAPPER.readTree(p.trainingConfigJson()), p.t2vVersion());
        }

        Provenance provenance() {
            return new Provenance(dataManifestSha256, steps, epochs, seed, gitRevision, created,
                    trainingConfig == null ? null : trainingConfig.toString(), t2vVersion);
        }
    }
}
