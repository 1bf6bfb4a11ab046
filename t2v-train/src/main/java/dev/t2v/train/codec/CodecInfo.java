package dev.t2v.train.codec;

import dev.t2v.core.io.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code codec.json}: what a trained codec directory holds and how it was made. Readers need {@link #scalingFactor()}
 * (latents are the encoder output times it, as SD's 0.18215) and the two file names; the rest is provenance.
 *
 * @param format always {@value #FORMAT}
 * @param version the file layout version, {@value #VERSION}
 * @param encoder the encoder model's file name in the directory
 * @param decoder the decoder model's file name
 * @param scalingFactor 1 / std of the (shifted) encoder latents over training frames
 * @param latentChannels C
 * @param downsample d
 * @param latentStd the std that the scaling factor inverts
 * @param latentShift the per-channel mean of the raw latents, already subtracted inside the encoder model and added
 *     back inside the decoder model (informational: users of the ONNX pair need nothing but the scaling factor)
 * @param architecture the network
 * @param training the training recipe and what it reached
 * @param data which frames it was trained and measured on
 * @param heldOut reconstruction quality on held-out frames
 */
public record CodecInfo(String format, int version, String encoder, String decoder, double scalingFactor,
        int latentChannels, int downsample, double latentStd, List<Double> latentShift, Architecture architecture,
        Training training, Data data, HeldOut heldOut) {
    public static final String FORMAT = "t2v-codec";
    public static final int VERSION = 1;
    public static final String FILE_NAME = "codec.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public CodecInfo {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format must be '" + FORMAT + "', got '" + format + "'");
        }
        if (version != VERSION) {
            throw new IllegalArgumentException("version " + version + " is not supported (this build reads "
                    + VERSION + ")");
        }
        requireName(encoder, "encoder");
        requireName(decoder, "decoder");
        if (!(scalingFactor > 0) || Double.isInfinite(scalingFactor)) {
            throw new IllegalArgumentException("scaling_factor must be finite and > 0, got " + scalingFactor);
        }
        if (latentChannels < 1 || downsample < 1) {
            throw new IllegalArgumentException("latent_channels and downsample must be >= 1, got " + latentChannels
                    + " and " + downsample);
        }
        if (!(latentStd > 0) || Double.isInfinite(latentStd)) {
            throw new IllegalArgumentException("latent_std must be finite and > 0, got " + latentStd);
        }
        latentShift = List.copyOf(latentShift == null ? List.of() : latentShift);
        if (!latentShift.isEmpty() && latentShift.size() != latentChannels) {
            throw new IllegalArgumentException("latent_shift needs " + latentChannels + " values, got "
                    + latentShift.size());
        }
        if (architecture == null || training == null || data == null || heldOut == null) {
            throw new IllegalArgumentException("architecture, training, data and held_out are required");
        }
        if (architecture.latentChannels() != latentChannels || architecture.downsample() != downsample) {
            throw new IllegalArgumentException("the architecture (" + architecture.latentChannels() + " channels, "
                    + "downsample " + architecture.downsample() + ") disagrees with latent_channels " + latentChannels
                    + " / downsample " + downsample);
        }
    }

    private static void requireName(String name, String field) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.equals("..")) {
            throw new IllegalArgumentException(field + " must be a file name in the codec directory, got '" + name + "'");
        }
    }

    /**
     * The network, as {@link CodecArchitecture} plus its derived sizes.
     *
     * @param parameters weights and biases in both models
     */
    public record Architecture(int patch, List<Integer> encoderWidths, List<Integer> decoderWidths,
            int latentChannels, int stageConvs, String activation, int downsample, long parameters) {
        public Architecture {
            // Validates the same rules as the architecture itself.
            CodecArchitecture a = toArchitecture(patch, encoderWidths, decoderWidths, latentChannels, stageConvs,
                    activation);
            if (a.downsample() != downsample || a.parameterCount() != parameters) {
                throw new IllegalArgumentException("architecture: downsample " + downsample + " and parameters "
                        + parameters + " do not match the widths (" + a.downsample() + ", " + a.parameterCount() + ")");
            }
            encoderWidths = List.copyOf(encoderWidths);
            decoderWidths = List.copyOf(decoderWidths);
        }

        public static Architecture of(CodecArchitecture a) {
            return new Architecture(a.patch(), a.encoderWidths(), a.decoderWidths(), a.latentChannels(),
                    a.stageConvs(), a.activation().jsonName(), a.downsample(), a.parameterCount());
        }

        public CodecArchitecture toArchitecture() {
            return toArchitecture(patch, encoderWidths, decoderWidths, latentChannels, stageConvs, activation);
        }

        private static CodecArchitecture toArchitecture(int patch, List<Integer> enc, List<Integer> dec, int c,
                int convs, String act) {
            CodecArchitecture.Activation a;
            try {
                a = CodecArchitecture.Activation.valueOf(String.valueOf(act).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("activation must be relu or silu, got '" + act + "'");
            }
            return new CodecArchitecture(patch, enc, dec, c, convs, a);
        }
    }

    /**
     * The recipe ({@link CodecTrainingConfig}) and its outcome.
     *
     * @param finalMse mean reconstruction MSE (values in [-1, 1]) over the last 100 steps
     * @param wallSeconds training time
     */
    public record Training(int steps, int batch, int crop, double learningRate, int warmupSteps,
            double finalLrFraction, long seed, double latentNoise, double latentPenalty, double finalMse,
            double wallSeconds) {
        public Training {
            toConfig(steps, batch, crop, learningRate, warmupSteps, finalLrFraction, seed, latentNoise, latentPenalty);
        }

        public static Training of(CodecTrainingConfig c, double finalMse, double wallSeconds) {
            return new Training(c.steps(), c.batch(), c.crop(), c.learningRate(), c.warmupSteps(), c.finalLrFraction(),
                    c.seed(), c.latentNoise(), c.latentPenalty(), finalMse, wallSeconds);
        }

        public CodecTrainingConfig toConfig() {
            return toConfig(steps, batch, crop, learningRate, warmupSteps, finalLrFraction, seed, latentNoise,
                    latentPenalty);
        }

        private static CodecTrainingConfig toConfig(int steps, int batch, int crop, double lr, int warmup,
                double fin, long seed, double noise, double penalty) {
            return new CodecTrainingConfig(steps, batch, crop, lr, warmup, fin, seed, noise, penalty);
        }
    }

    /**
     * The frames.
     *
     * @param hash {@code sha256:<hex>} over the annotation file and every video file used, see {@link CodecData}
     * @param frameSize S, the side of the square frames
     * @param framesPerVideo frames taken from each video, evenly spaced
     */
    public record Data(String hash, int frameSize, int framesPerVideo, int trainVideos, int trainFrames) {
        public Data {
            if (hash == null || hash.isBlank()) {
                throw new IllegalArgumentException("data hash is required");
            }
            if (frameSize < 1 || framesPerVideo < 1 || trainVideos < 0 || trainFrames < 0) {
                throw new IllegalArgumentException("bad data sizes: frame " + frameSize + ", per video "
                        + framesPerVideo + ", videos " + trainVideos + ", frames " + trainFrames);
            }
        }
    }

    /**
     * Round-trip quality through the written ONNX pair (encode, scale, unscale, decode) on videos outside the
     * training split.
     *
     * @param psnrDb mean per-frame PSNR, pixels 0..255
     * @param minPsnrDb the worst frame's PSNR
     * @param splits the splits the videos came from, e.g. {@code [validate, test]}
     */
    public record HeldOut(double psnrDb, double minPsnrDb, int videos, int frames, List<String> splits) {
        public HeldOut {
            if (!Double.isFinite(psnrDb) || !Double.isFinite(minPsnrDb) || videos < 0 || frames < 0) {
                throw new IllegalArgumentException("bad held-out figures: psnr " + psnrDb + ", min " + minPsnrDb
                        + ", videos " + videos + ", frames " + frames);
            }
            splits = List.copyOf(splits == null ? List.of() : splits);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise codec info", e);
        }
    }

    /** Parses {@code codec.json} text; a bad field is an {@link IllegalArgumentException} naming it. */
    public static CodecInfo fromJson(String json) {
        try {
            return JSON.readValue(json, CodecInfo.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("bad codec.json: " + (cause == e ? e.getOriginalMessage()
                    : cause.getMessage()), e);
        }
    }

    /** Reads {@code dir/codec.json}. */
    public static CodecInfo read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        try {
            return fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code dir/codec.json} atomically. */
    public Path write(Path dir) throws IOException {
        return AtomicFiles.writeString(dir.resolve(FILE_NAME), toJson());
    }
}
