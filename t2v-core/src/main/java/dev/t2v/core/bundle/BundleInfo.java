package dev.t2v.core.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.GuidanceInterval;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        try {
            root.set("denoiser", JSON.readTree(denoiser.toJson()));
            root.set("scheduler", JSON.readTree(scheduler.toJson()));
            root.set("text_encoder", textEncoder.toJson());
            if (codec != null) {
                root.set("codec", codec.toJson());
            } else {
                root.putNull("codec");
            }
            ObjectNode v = root.putObject("video");
            v.put("frames", video.frames());
            v.put("fps", video.fps());
            v.put("size", video.size());
            ObjectNode s = root.putObject("sampling");
            s.put("sampler", sampling.sampler());
            s.put("steps", sampling.steps());
            s.put("guidance", sampling.guidance());
            if (!sampling.guidanceInterval().equals(GuidanceInterval.ALWAYS)) {
                s.put("guidance_interval", sampling.guidanceInterval().label());
            }
            ObjectNode p = root.putObject("provenance");
            p.put("data_manifest_sha256", provenance.dataManifestSha256());
            p.put("steps", provenance.steps());
            p.put("epochs", provenance.epochs());
            p.put("seed", provenance.seed());
            if (provenance.gitRevision() != null) {
                p.put("git_revision", provenance.gitRevision());
            } else {
                p.putNull("git_revision");
            }
            p.put("created", provenance.created());
            if (provenance.trainingConfigJson() != null) {
                p.set("training_config", JSON.readTree(provenance.trainingConfigJson()));
            }
            p.put("t2v_version", provenance.t2vVersion());
            byte[] body = JSON.writeValueAsBytes(root);
            byte[] out = java.util.Arrays.copyOf(body, body.length + 1);
            out[body.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise model.json", e);
        }
    }

    /** Parses model.json; a missing or ill-typed field is an {@link IOException} naming {@code source} and the field. */
    public static BundleInfo parse(byte[] json, String source) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": invalid JSON: " + e.getOriginalMessage());
        }
        JsonFields f = new JsonFields(source);
        if (root == null || !root.isObject()) {
            throw f.error("(top)", "expected a JSON object");
        }
        int version = f.integer(root, "format_version");
        if (version != FORMAT_VERSION) {
            throw f.error("format_version", "expected " + FORMAT_VERSION + ", got " + version
                    + " (written by another t2v version?)");
        }
        DenoiserConfig denoiser;
        try {
            denoiser = DenoiserConfig.fromJson(f.object(root, "denoiser").toString());
        } catch (IllegalArgumentException e) {
            throw f.error("denoiser", e.getMessage());
        }
        SchedulerConfig scheduler;
        try {
            scheduler = SchedulerConfig.fromJson(f.object(root, "scheduler").toString());
        } catch (IllegalArgumentException e) {
            throw f.error("scheduler", e.getMessage());
        }
        TextEncoderRef text = TextEncoderRef.parse(f.object(root, "text_encoder"), f);
        CodecRef codec = f.has(root, "codec") ? CodecRef.parse(f.object(root, "codec"), f) : null;
        JsonNode v = f.object(root, "video");
        JsonNode s = f.object(root, "sampling");
        JsonNode p = f.object(root, "provenance");
        try {
            VideoSpec video = new VideoSpec(f.integer(v, "video.frames"), f.number(v, "video.fps"),
                    f.integer(v, "video.size"));
            SamplingDefaults sampling = new SamplingDefaults(f.text(s, "sampling.sampler"),
                    f.integer(s, "sampling.steps"), f.number(s, "sampling.guidance"),
                    f.has(s, "sampling.guidance_interval")
                            ? GuidanceInterval.parse(f.text(s, "sampling.guidance_interval")) : null);
            String trainingConfig = f.has(p, "provenance.training_config")
                    ? f.object(p, "provenance.training_config").toString() : null;
            Provenance provenance = new Provenance(f.text(p, "provenance.data_manifest_sha256"),
                    f.longValue(p, "provenance.steps"), f.longValue(p, "provenance.epochs"),
                    f.longValue(p, "provenance.seed"), f.optionalText(p, "provenance.git_revision"),
                    f.text(p, "provenance.created"), trainingConfig, f.text(p, "provenance.t2v_version"));
            return new BundleInfo(denoiser, scheduler, text, codec, video, sampling, provenance);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    /** {@link #parse(byte[], String)} of a string. */
    public static BundleInfo parse(String json, String source) throws IOException {
        return parse(json.getBytes(StandardCharsets.UTF_8), source);
    }
}
