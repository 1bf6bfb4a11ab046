package dev.t2v.data.encode;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.t2v.core.io.ModelFiles;
import dev.t2v.data.onnx.OnnxModelException;
import dev.t2v.data.onnx.OnnxSession;
import dev.t2v.data.onnx.OnnxTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A Stable-Diffusion-style VAE as two ONNX models, following the diffusers/optimum export names:
 * <ul>
 *   <li>encoder: {@code sample [N,3,H,W]} FLOAT in [-1, 1] to {@code latent_sample [N,C,H/d,W/d]}, or to the
 *       distribution parameters {@code [N,2C,H/d,W/d]} (mean, then log-variance) named {@code latent_sample} or
 *       {@code latent_parameters} (as optimum exports them), of which the mean is used;</li>
 *   <li>decoder: {@code latent_sample [N,C,h,w]} FLOAT to {@code sample [N,3,h*d,w*d]}.</li>
 * </ul>
 * Runs in FP32 on the CPU, in chunks of {@link Options#chunkSize()} frames to bound memory. Either model may be left
 * out (an inference-only bundle needs just the decoder); the missing direction then throws.
 */
public final class OnnxVae implements LatentCodec {
    /** Stable Diffusion 1.x/2.x latent scaling factor (diffusers' {@code vae.config.scaling_factor}). */
    public static final double SD_SCALING_FACTOR = 0.18215;
    public static final int SD_LATENT_CHANNELS = 4;
    public static final int SD_DOWNSAMPLE = 8;
    public static final int DEFAULT_CHUNK_SIZE = 4;

    static final String SAMPLE = "sample";
    static final String LATENT_SAMPLE = "latent_sample";
    /** Recent optimum versions name the encoder's mean/log-variance output this way. */
    static final String LATENT_PARAMETERS = "latent_parameters";

    /**
     * VAE settings.
     *
     * @param scalingFactor latents are the encoder's mean times this
     * @param chunkSize frames per ONNX run
     * @param downsample d, frame size over latent size
     * @param latentChannels C, used when neither model fixes it (a model that fixes it wins)
     * @param intraOpThreads ONNX Runtime threads per op, 0 for its default
     */
    public record Options(double scalingFactor, int chunkSize, int downsample, int latentChannels, int intraOpThreads) {
        public Options {
            if (!(scalingFactor > 0) || Double.isInfinite(scalingFactor)) {
                throw new IllegalArgumentException("scalingFactor must be finite and > 0, got " + scalingFactor);
            }
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
            }
            if (downsample < 1) {
                throw new IllegalArgumentException("downsample must be >= 1, got " + downsample);
            }
            if (latentChannels < 1) {
                throw new IllegalArgumentException("latentChannels must be >= 1, got " + latentChannels);
            }
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
            }
        }

        /** Stable Diffusion 1.x settings: scaling 0.18215, 4 channels, downsample 8, chunks of 4 frames. */
        public static Options stableDiffusion() {
            return of(SD_SCALING_FACTOR);
        }

        /** SD conventions with another scaling factor. */
        public static Options of(double scalingFactor) {
            return new Options(scalingFactor, DEFAULT_CHUNK_SIZE, SD_DOWNSAMPLE, SD_LATENT_CHANNELS, 0);
        }

        public Options withChunkSize(int n) {
            return new Options(scalingFactor, n, downsample, latentChannels, intraOpThreads);
        }

        public Options withDownsample(int d) {
            return new Options(scalingFactor, chunkSize, d, latentChannels, intraOpThreads);
        }

        public Options withLatentChannels(int c) {
            return new Options(scalingFactor, chunkSize, downsample, c, intraOpThreads);
        }
    }

    private final OnnxSession encoder;
    private final OnnxSession decoder;
    private final Options options;
    private final int channels;
    private final String encoderOutput;
    private final int encoderBatch;
    private final int decoderBatch;
    private String id;

    /** Both models with SD conventions and the given scaling factor. */
    public OnnxVae(Path encoderModel, Path decoderModel, double scalingFactor) {
        this(requireFile(encoderModel, "encoder"), requireFile(decoderModel, "decoder"), Options.of(scalingFactor));
    }

    private OnnxVae(Path encoderModel, Path decoderModel, Options options) {
        if (encoderModel == null && decoderModel == null) {
            throw new IllegalArgumentException("a VAE needs an encoder, a decoder or both");
        }
        this.options = options;
        OnnxSession enc = null;
        OnnxSession dec = null;
        try {
            enc = encoderModel == null ? null : OnnxSession.open(encoderModel, options.intraOpThreads());
            dec = decoderModel == null ? null : OnnxSession.open(decoderModel, options.intraOpThreads());
            long encOut = -1;
            long decIn = -1;
            String encOutName = LATENT_SAMPLE;
            if (enc != null) {
                enc.requireNoInputsOtherThan(Set.of(SAMPLE), "just 'sample' [N,3,H,W]");
                TensorInfo in = enc.requireInput(SAMPLE, 4, OnnxJavaType.FLOAT);
                enc.requireDim("input 'sample'", in, 1, 3);
                if (enc.outputs().containsKey(LATENT_PARAMETERS) && !enc.outputs().containsKey(LATENT_SAMPLE)) {
                    encOutName = LATENT_PARAMETERS;
                }
                TensorInfo out = enc.requireOutput(encOutName, 4, OnnxJavaType.FLOAT);
                encOut = OnnxSession.fixedDim(out, 1);
            }
            if (dec != null) {
                dec.requireNoInputsOtherThan(Set.of(LATENT_SAMPLE), "just 'latent_sample' [N,C,h,w]");
                TensorInfo in = dec.requireInput(LATENT_SAMPLE, 4, OnnxJavaType.FLOAT);
                TensorInfo out = dec.requireOutput(SAMPLE, 4, OnnxJavaType.FLOAT);
                dec.requireDim("output 'sample'", out, 1, 3);
                decIn = OnnxSession.fixedDim(in, 1);
            }
            this.channels = decIn > 0 ? (int) decIn : options.latentChannels();
            boolean parametersOnly = encOutName.equals(LATENT_PARAMETERS);
            if (encOut > 0 && encOut != 2L * channels && (parametersOnly || encOut != channels)) {
                throw enc.error("output '" + encOutName + "' has " + encOut + " channels; expected "
                        + (parametersOnly ? "" : channels + " (the latent) or ") + 2 * channels
                        + " (mean and log-variance)"
                        + (decIn > 0 ? " to match the decoder's " + decIn + "-channel input" : ""));
            }
            this.encoderOutput = encOutName;
            this.encoderBatch = enc == null ? -1 : (int) OnnxSession.fixedDim(enc.inputs().get(SAMPLE), 0);
            this.decoderBatch = dec == null ? -1 : (int) OnnxSession.fixedDim(dec.inputs().get(LATENT_SAMPLE), 0);
            this.encoder = enc;
            this.decoder = dec;
        } catch (RuntimeException e) {
            if (enc != null) {
                enc.close();
            }
            if (dec != null) {
                dec.close();
            }
            throw e;
        }
    }

    /**
     * Opens a VAE from its two model files; either may be {@code null} for a one-way codec.
     *
     * @throws OnnxModelException naming the file when a model's names, dtypes, ranks or channels do not fit
     */
    public static OnnxVae open(Path encoderModel, Path decoderModel, Options options) {
        return new OnnxVae(encoderModel == null ? null : requireFile(encoderModel, "encoder"),
                decoderModel == null ? null : requireFile(decoderModel, "decoder"), options);
    }

    /** {@link #fromDirectory(Path, Options)} with SD conventions and the given scaling factor. */
    public static OnnxVae fromDirectory(Path dir, double scalingFactor) throws IOException {
        return fromDirectory(dir, Options.of(scalingFactor));
    }

    /**
     * Opens the VAE in {@code dir}: {@code vae_encoder/model.onnx} and {@code vae_decoder/model.onnx} (the
     * diffusers/optimum layout), else {@code encoder.onnx} and {@code decoder.onnx}. A directory with only a decoder
     * gives a decode-only codec.
     */
    public static OnnxVae fromDirectory(Path dir, Options options) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such VAE directory");
        }
        Path enc = firstExisting(dir.resolve("vae_encoder").resolve("model.onnx"), dir.resolve("encoder.onnx"));
        Path dec = firstExisting(dir.resolve("vae_decoder").resolve("model.onnx"), dir.resolve("decoder.onnx"));
        if (enc == null && dec == null) {
            throw new NoSuchFileException(dir.toString(), null, "no VAE models: expected vae_encoder/model.onnx and "
                    + "vae_decoder/model.onnx, or encoder.onnx and decoder.onnx");
        }
        return new OnnxVae(enc, dec, options);
    }

    private static Path firstExisting(Path... candidates) {
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Path requireFile(Path file, String what) {
        if (file == null) {
            throw new IllegalArgumentException("the VAE " + what + " path is required");
        }
        if (!Files.isRegularFile(file)) {
            throw new OnnxModelException(file, "no such VAE " + what + " model file");
        }
        return file;
    }

    /** The encoder model file, {@code null} for a decode-only codec (recorded so a trained model can reopen it). */
    public Path encoderFile() {
        return encoder == null ? null : encoder.file();
    }

    /** The decoder model file, {@code null} for an encode-only codec. */
    public Path decoderFile() {
        return decoder == null ? null : decoder.file();
    }

    public boolean canEncode() {
        return encoder != null;
    }

    public boolean canDecode() {
        return decoder != null;
    }

    public Options options() {
        return options;
    }

    @Override
    public double scalingFactor() {
        return options.scalingFactor();
    }

    @Override
    public int latentChannels() {
        return channels;
    }

    @Override
    public int downsample() {
        return options.downsample();
    }

    /** {@code vae@<encoder sha>-<decoder sha>x<scaling>}, hashed on first call (SD's VAE files are ~300 MB). */
    @Override
    public synchronized String id() {
        if (id == null) {
            try {
                id = "vae@" + shortHash(encoder) + "-" + shortHash(decoder) + "x" + options.scalingFactor();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot hash the VAE model files", e);
            }
        }
        return id;
    }

    private static String shortHash(OnnxSession s) throws IOException {
        return s == null ? "none" : ModelFiles.sha256(s.file()).substring(0, 12);
    }

    @Override
    public INDArray encode(INDArray frames) {
        if (encoder == null) {
            throw new IllegalStateException("this VAE was opened without an encoder");
        }
        int d = options.downsample();
        if (frames == null || frames.rank() != 4 || frames.size(1) != 3 || frames.size(2) % d != 0
                || frames.size(3) % d != 0) {
            throw new IllegalArgumentException("frames must be [N,3,H,W] with H and W multiples of " + d + ", got "
                    + (frames == null ? "null" : Arrays.toString(frames.shape())));
        }
        long h = frames.size(2) / d;
        long w = frames.size(3) / d;
        INDArray x = frames.castTo(DataType.FLOAT);
        boolean parametersOnly = encoderOutput.equals(LATENT_PARAMETERS);
        return chunked(encoder, SAMPLE, encoderOutput, x, encoderBatch, z -> {
            long c = z.size(1);
            boolean channelsOk = c == 2L * channels || (c == channels && !parametersOnly);
            if (z.rank() != 4 || !channelsOk || z.size(2) != h || z.size(3) != w) {
                throw encoder.error("'" + encoderOutput + "' came out " + Arrays.toString(z.shape()) + " for frames "
                        + Arrays.toString(frames.shape()) + "; expected [n," + channels + " or " + 2 * channels + ","
                        + h + "," + w + "] (downsample " + d + ")");
            }
            INDArray mean = c == channels ? z : z.get(NDArrayIndex.all(), NDArrayIndex.interval(0, channels),
                    NDArrayIndex.all(), NDArrayIndex.all()); // [n,2C,h,w] -> mean [n,C,h,w]
            return mean.mul(options.scalingFactor());
        });
    }

    @Override
    public INDArray decode(INDArray latents) {
        if (decoder == null) {
            throw new IllegalStateException("this VAE was opened without a decoder");
        }
        if (latents == null || latents.rank() != 4 || latents.size(1) != channels) {
            throw new IllegalArgumentException("latents must be [N," + channels + ",h,w], got "
                    + (latents == null ? "null" : Arrays.toString(latents.shape())));
        }
        int d = options.downsample();
        long hh = latents.size(2) * d;
        long ww = latents.size(3) * d;
        INDArray x = latents.castTo(DataType.FLOAT).div(options.scalingFactor());
        return chunked(decoder, LATENT_SAMPLE, SAMPLE, x, decoderBatch, y -> {
            if (y.rank() != 4 || y.size(1) != 3 || y.size(2) != hh || y.size(3) != ww) {
                throw decoder.error("'sample' came out " + Arrays.toString(y.shape()) + " for latents "
                        + Arrays.toString(latents.shape()) + "; expected [n,3," + hh + "," + ww + "] (downsample "
                        + d + ")");
            }
            return y;
        });
    }

    /**
     * Runs {@code model} over {@code x} in chunks along axis 0 and concatenates the post-processed outputs. A model
     * with a fixed batch size gets exactly that many rows per run; the last chunk is topped up with copies of its
     * first row, whose outputs are dropped.
     */
    private INDArray chunked(OnnxSession model, String inName, String outName, INDArray x, int fixedBatch,
            java.util.function.UnaryOperator<INDArray> post) {
        TensorInfo in = model.inputs().get(inName);
        for (int axis = 2; axis < 4; axis++) {
            long fixed = OnnxSession.fixedDim(in, axis);
            if (fixed > 0 && fixed != x.size(axis)) {
                throw model.error("input '" + inName + "' is fixed at " + OnnxSession.shapeString(in) + " but got "
                        + Arrays.toString(x.shape()));
            }
        }
        long n = x.size(0);
        int chunk = fixedBatch > 0 ? fixedBatch : options.chunkSize();
        List<INDArray> parts = new ArrayList<>();
        for (long start = 0; start < n; start += chunk) {
            long end = Math.min(n, start + chunk);
            INDArray part = x.get(NDArrayIndex.interval(start, end), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all());
            long rows = end - start;
            if (fixedBatch > 0 && rows < fixedBatch) {
                INDArray[] pieces = new INDArray[fixedBatch - (int) rows + 1];
                pieces[0] = part;
                Arrays.fill(pieces, 1, pieces.length, part.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(),
                        NDArrayIndex.all(), NDArrayIndex.all()));
                part = Nd4j.concat(0, pieces);
            }
            INDArray out;
            try (OnnxTensor t = OnnxTensors.floats(model.env(), part);
                    OrtSession.Result r = model.run(Map.of(inName, t), Set.of(outName))) {
                out = OnnxTensors.toArray(r.get(0));
            }
            if (out.size(0) != part.size(0)) {
                throw model.error("'" + outName + "' has batch " + out.size(0) + " for " + part.size(0) + " inputs");
            }
            out = post.apply(out);
            if (out.size(0) != rows) {
                out = out.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all());
            }
            parts.add(out);
        }
        return parts.size() == 1 ? parts.get(0).dup('c') : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    @Override
    public void close() {
        try {
            if (decoder != null) {
                decoder.close();
            }
        } finally {
            if (encoder != null) {
                encoder.close();
            }
        }
    }
}
