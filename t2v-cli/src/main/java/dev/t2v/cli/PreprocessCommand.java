package dev.t2v.cli;

import dev.t2v.core.bundle.CodecRef;
import dev.t2v.core.bundle.ModelBundle;
import dev.t2v.data.encode.LatentCodec;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.encode.TextEncoders;
import dev.t2v.data.msrvtt.RetrievalCsv;
import dev.t2v.data.msrvtt.SplitSelection;
import dev.t2v.data.preprocess.PreprocessConfig;
import dev.t2v.data.preprocess.PreprocessModels;
import dev.t2v.data.preprocess.PreprocessSummary;
import dev.t2v.data.preprocess.Preprocessor;
import dev.t2v.data.spark.SparkEngine;
import dev.t2v.data.spark.SparkPreprocessJob;
import dev.t2v.data.synthetic.SyntheticSet;
import dev.t2v.train.codec.CodecInfo;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code t2v preprocess}: encodes an MSR-VTT-format folder into latent and text-embedding shards for training.
 * Every flag is checked before any model loads; a rerun resumes (see {@link Preprocessor}).
 */
public final class PreprocessCommand implements Command {
    static final int MAX_TOKENS_DEFAULT = TextEncoders.MINILM_DEFAULT_MAX_TOKENS;

    @Override
    public String name() {
        return "preprocess";
    }

    @Override
    public String summary() {
        return "encode an MSR-VTT-format folder into latent + text shards (resumable)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(flag("data", "DIR", "MSR-VTT-format folder: annotation + videos (e.g. from t2v synth)"));
        o.addOption(flag("out", "DIR", "output folder; an earlier run there is resumed"));
        o.addOption(flag("frames", "F", "frames per clip, [1, " + PreprocessConfig.MAX_FRAMES + "] (default "
                + PreprocessConfig.DEFAULT_FRAMES + ")"));
        o.addOption(flag("fps", "FPS", "clip frame rate, [0.1, 120] (default 8)"));
        o.addOption(flag("size", "PX", "clip width and height, a multiple of the codec's downsample (default "
                + PreprocessConfig.DEFAULT_SIZE + ")"));
        o.addOption(flag("clips-per-video", "N", "clip windows per video, [1, " + PreprocessConfig.MAX_CLIPS_PER_VIDEO
                + "] (default " + PreprocessConfig.DEFAULT_CLIPS_PER_VIDEO + ")"));
        o.addOption(flag("text-model", "M.onnx", "ONNX text encoder (with --tokenizer); default all-MiniLM-L6-v2"));
        o.addOption(flag("tokenizer", "T.json", "the text encoder's tokenizer.json"));
        o.addOption(flag("max-tokens", "N", "tokens kept per caption, [2, 512] (default " + MAX_TOKENS_DEFAULT + ")"));
        o.addOption(flag("vae", "DIR", "VAE folder: vae_encoder/model.onnx + vae_decoder/model.onnx, or encoder.onnx "
                + "+ decoder.onnx (default for the synthetic set of t2v synth: the bundled demo codec, with its "
                + "factor)"));
        o.addOption(flag("vae-encoder", "E.onnx", "VAE encoder model (with --vae-decoder), instead of --vae"));
        o.addOption(flag("vae-decoder", "X.onnx", "VAE decoder model (with --vae-encoder)"));
        o.addOption(flag("scaling-factor", "S", "latent scaling factor (default: the codec's own, from --vae DIR's "
                + CodecInfo.FILE_NAME + ", or the demo codec's; else " + OnnxVae.SD_SCALING_FACTOR + "); one that "
                + "disagrees with the codec's own is refused"));
        o.addOption(flag("threads", "N", "videos decoded and encoded at once, [1, " + PreprocessConfig.MAX_THREADS
                + "] (default " + PreprocessConfig.DEFAULT_THREADS + ")"));
        o.addOption(flag("limit", "N", "take only the first N videos (in video-id order)"));
        o.addOption(flag("split", "LIST", "comma-separated splits to take: the official train,validate,test "
                + "(default all), or the retrieval splits 9k-train,1k-a-test (" + RetrievalCsv.TRAIN_9K + " and "
                + RetrievalCsv.JSFUSION_TEST + " beside the annotation)"));
        o.addOption(flag("videos-per-shard", "N", "videos per shard, the unit of resumption (default "
                + PreprocessConfig.DEFAULT_VIDEOS_PER_SHARD + ")"));
        o.addOption(flag("engine", "E", "local (default), or spark: one Spark task per shard, same output "
                + "(docs/scale.md); --data and --out may then be Hadoop URIs (hdfs://, s3a://)"));
        o.addOption(flag("master", "URL", "the Spark master with --engine spark, e.g. local[2] or yarn (default: "
                + "spark-submit's)"));
        return o;
    }

    private static Option flag(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).build();
    }

    /**
     * The validated flags, before anything is loaded.
     *
     * @param sparkMaster with {@code --engine spark}: the master, or {@code ""} for spark-submit's; else {@code null}
     * @param data {@code --data} as given (a path, or with Spark a URI)
     * @param out {@code --out} as given
     * @param codecNote a line saying which codec was chosen for the user, or {@code null} when it was given
     */
    record Parsed(PreprocessConfig config, PreprocessModels models, String sparkMaster, String data, String out,
            String codecNote) {
    }

    @Override
    public int run(CommandLine cmd, CliContext ctx) throws Exception {
        Parsed p = parse(cmd);
        if (p.codecNote() != null) {
            ctx.err().println(p.codecNote());
        }
        PreprocessSummary s;
        if (p.sparkMaster() != null) {
            try {
                SparkPreprocessJob job = new SparkPreprocessJob(SparkPreprocessJob.uri(p.data()),
                        SparkPreprocessJob.uri(p.out()), p.config(), p.models());
                s = SparkEngine.run(job, p.sparkMaster(), clock());
            } catch (NoClassDefFoundError e) {
                throw new IOException("Spark is not on the class path (" + e.getMessage() + "): ./t2v adds the "
                        + "build's Spark for --engine spark; elsewhere run the job jar with spark-submit (docs/scale.md)");
            }
        } else {
            try (LatentCodec codec = p.models().openCodec(); TextEncoder text = p.models().openText()) {
                s = new Preprocessor(p.config(), text, codec, clock(), ctx.err()).run();
            }
        }
        ctx.out().println(s.describe());
        if (s.clips() == 0) {
            // a dataset without clips cannot train; exit 0 here would only move the failure to train
            throw new IOException("no usable clips: " + s.videosBad() + " of " + s.videosSelected() + " selected "
                    + "videos were unusable (the reasons are in " + p.out() + "/bad-videos.tsv)"
                    + (s.videosSelected() == 0 ? "; the selection (--split, --limit) names no videos" : ""));
        }
        ctx.out().println("wrote " + p.out());
        return Main.OK;
    }

    static Parsed parse(CommandLine cmd) {
        boolean spark = "spark".equals(Flags.oneOf(cmd, "engine", "local", Set.of("local", "spark")));
        if (!spark && cmd.hasOption("master")) {
            throw new UsageException("--master is for --engine spark");
        }
        if (spark && !cmd.hasOption("master") && System.getProperty("spark.master") == null) {
            throw new UsageException("--master is required with --engine spark outside spark-submit, e.g. --master "
                    + "local[2]");
        }
        if (spark && cmd.hasOption("threads")) {
            throw new UsageException("--threads is for --engine local: Spark runs one task per core (--master local[N],"
                    + " or the executors' cores)");
        }
        String dataArg = Flags.required(cmd, "data");
        String outArg = Flags.required(cmd, "out");
        Path data;
        if (spark && isUri(dataArg)) {
            data = uriPath("data", dataArg); // names it in messages; the job reads the URI
        } else {
            data = Flags.existing(cmd, "data");
            if (!Files.isDirectory(data)) {
                throw UsageException.badValue("data", data.toString(), "a directory (an MSR-VTT-format folder)");
            }
        }
        Path out = spark && isUri(outArg) ? uriPath("out", outArg) : Path.of(outArg);
        if (!(spark && isUri(outArg)) && Files.exists(out) && !Files.isDirectory(out)) {
            throw UsageException.badValue("out", out.toString(), "a directory (this is a file)");
        }
        int frames = Flags.intIn(cmd, "frames", PreprocessConfig.DEFAULT_FRAMES, 1, PreprocessConfig.MAX_FRAMES);
        double fps = Flags.doubleIn(cmd, "fps", PreprocessConfig.DEFAULT_FPS, 0.1, 120);
        int size = Flags.intIn(cmd, "size", PreprocessConfig.DEFAULT_SIZE, 8, PreprocessConfig.MAX_SIZE);
        int clips = Flags.intIn(cmd, "clips-per-video", PreprocessConfig.DEFAULT_CLIPS_PER_VIDEO, 1,
                PreprocessConfig.MAX_CLIPS_PER_VIDEO);
        int threads = Flags.intIn(cmd, "threads", PreprocessConfig.DEFAULT_THREADS, 1, PreprocessConfig.MAX_THREADS);
        int limit = Flags.intIn(cmd, "limit", 0, 1, Integer.MAX_VALUE);
        int perShard = Flags.intIn(cmd, "videos-per-shard", PreprocessConfig.DEFAULT_VIDEOS_PER_SHARD, 1,
                PreprocessConfig.MAX_VIDEOS_PER_SHARD);
        int maxTokens = Flags.intIn(cmd, "max-tokens", MAX_TOKENS_DEFAULT, 2, 512);
        SplitSelection splits = splits(cmd);

        Path textModel = null;
        Path tokenizer = null;
        if (cmd.hasOption("text-model") || cmd.hasOption("tokenizer")) {
            if (!cmd.hasOption("tokenizer")) {
                throw new UsageException("--tokenizer is required with --text-model (the model's tokenizer.json)");
            }
            if (!cmd.hasOption("text-model")) {
                throw new UsageException("--text-model is required with --tokenizer");
            }
            textModel = existingFile(cmd, "text-model");
            tokenizer = existingFile(cmd, "tokenizer");
        }

        boolean split = cmd.hasOption("vae-encoder") || cmd.hasOption("vae-decoder");
        Path vaeDir = null;
        Path vaeEncoder = null;
        Path vaeDecoder = null;
        if (cmd.hasOption("vae") && split) {
            throw new UsageException("--vae and --vae-encoder/--vae-decoder are alternatives: give one");
        } else if (cmd.hasOption("vae")) {
            vaeDir = Flags.existing(cmd, "vae");
            if (!Files.isDirectory(vaeDir)) {
                throw UsageException.badValue("vae", vaeDir.toString(), "a directory holding the VAE's ONNX models");
            }
        } else if (split) {
            if (!cmd.hasOption("vae-decoder")) {
                throw new UsageException("--vae-decoder is required with --vae-encoder");
            }
            if (!cmd.hasOption("vae-encoder")) {
                throw new UsageException("--vae-encoder is required with --vae-decoder");
            }
            vaeEncoder = existingFile(cmd, "vae-encoder");
            vaeDecoder = existingFile(cmd, "vae-decoder");
        }
        double scaling;
        String codecNote = null;
        if (vaeDir == null && vaeEncoder == null) {
            DemoCodec demo = demoCodec(data);
            vaeEncoder = demo.encoder();
            vaeDecoder = demo.decoder();
            scaling = agreeingFactor(cmd, demo.scalingFactor(), "the bundled demo codec's own factor");
            codecNote = "no --vae: the synthetic set is encoded with the bundled demo codec (" + demo.encoder()
                    .getParent() + ", scaling factor " + demo.scalingFactor() + "), the codec the demo model decodes";
        } else {
            scaling = scalingFactor(cmd, vaeDir);
        }
        PreprocessConfig cfg = new PreprocessConfig(data, out, frames, fps, size, clips, perShard, threads, limit,
                splits);
        PreprocessModels models = new PreprocessModels(textModel, tokenizer, maxTokens, vaeDir, vaeEncoder,
                vaeDecoder, scaling);
        if (size % models.downsample() != 0) {
            throw UsageException.badValue("size", String.valueOf(size), "a multiple of the codec's downsample "
                    + models.downsample());
        }
        return new Parsed(cfg, models, spark ? cmd.getOptionValue("master", "") : null, dataArg, outArg, codecNote);
    }

    /** The demo bundle's codec files and scaling factor. */
    record DemoCodec(Path encoder, Path decoder, double scalingFactor) {
    }

    /**
     * Without a codec flag, the synthetic set (t2v synth: {@code annotation/synthetic.json}) is encoded with the
     * bundled demo model's codec, with that bundle's scaling factor, so that its latents suit the demo model and the
     * noise schedule; any other data needs a codec.
     */
    static DemoCodec demoCodec(Path data) {
        String required = "a codec is required: --vae DIR, or --vae-encoder E.onnx --vae-decoder X.onnx "
                + "(docs/onnx-export.md)";
        if (!Files.isRegularFile(data.resolve(SyntheticSet.ANNOTATION_DIR).resolve(SyntheticSet.SPEC_JSON))) {
            throw new UsageException(required + "; only the synthetic set of t2v synth defaults to the bundled demo "
                    + "codec");
        }
        Path dir = DefaultModel.directory().orElseThrow(() -> new UsageException(required + " (" + DefaultModel.NONE
                + " to take the codec from)"));
        CodecRef codec;
        try {
            codec = ModelBundle.read(dir).info().codec();
        } catch (IOException e) {
            throw new UsageException("cannot read the bundled demo model's codec: " + e.getMessage());
        }
        if (codec == null || codec.encoder() == null || codec.latentChannels() != OnnxVae.SD_LATENT_CHANNELS
                || codec.downsample() != OnnxVae.SD_DOWNSAMPLE) {
            throw new UsageException(required + " (the bundled demo model has no encoder with "
                    + OnnxVae.SD_LATENT_CHANNELS + " latent channels and downsample " + OnnxVae.SD_DOWNSAMPLE + ")");
        }
        return new DemoCodec(dir.resolve(codec.encoder()), dir.resolve(codec.decoder()), codec.scalingFactor());
    }

    /**
     * The codec's own factor when {@code vaeDir} holds a {@code codec.json} (a codec trained here): latents scaled by
     * anything else are far from unit std and training on them silently learns nothing. A {@code --scaling-factor}
     * that disagrees is refused; without {@code codec.json} the flag, else SD's factor.
     */
    static double scalingFactor(CommandLine cmd, Path vaeDir) {
        Path codecJson = vaeDir == null ? null : vaeDir.resolve(CodecInfo.FILE_NAME);
        if (codecJson == null || !Files.isRegularFile(codecJson)) {
            return Flags.doubleIn(cmd, "scaling-factor", OnnxVae.SD_SCALING_FACTOR, 1e-6, 1e6);
        }
        double own;
        try {
            own = CodecInfo.read(vaeDir).scalingFactor();
        } catch (IOException e) {
            throw new UsageException(codecJson + ": cannot read (" + e + ")");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return agreeingFactor(cmd, own, "the codec's own factor " + own + " from " + codecJson);
    }

    /** {@code own}; a {@code --scaling-factor} that disagrees with it is refused, naming {@code what}. */
    private static double agreeingFactor(CommandLine cmd, double own, String what) {
        if (cmd.hasOption("scaling-factor")) {
            double given = Flags.doubleIn(cmd, "scaling-factor", own, 1e-6, 1e6);
            if (Math.abs(given - own) > 1e-6 * own) {
                throw UsageException.badValue("scaling-factor", cmd.getOptionValue("scaling-factor"),
                        what + (what.contains(String.valueOf(own)) ? "" : " " + own) + " (omit the flag to use it)");
            }
        }
        return own;
    }

    /** {@code hdfs://nn/x}, {@code s3a://b/x}, {@code file:/x}: a scheme of two or more letters, then a colon. */
    static boolean isUri(String arg) {
        return arg.matches("[A-Za-z][A-Za-z0-9+.-]+:.*");
    }

    private static Path uriPath(String flag, String arg) {
        try {
            URI uri = URI.create(arg);
            if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                throw new IllegalArgumentException("no absolute path");
            }
            return Path.of(uri.getPath());
        } catch (IllegalArgumentException e) {
            throw UsageException.badValue(flag, arg, "a path or an absolute URI such as hdfs://namenode/dir");
        }
    }

    private static Path existingFile(CommandLine cmd, String flag) {
        Path p = Path.of(Flags.required(cmd, flag));
        if (!Files.isRegularFile(p)) {
            throw UsageException.badValue(flag, p.toString(), "an existing file");
        }
        return p;
    }

    private static SplitSelection splits(CommandLine cmd) {
        String v = cmd.getOptionValue("split");
        if (v == null) {
            return SplitSelection.ALL;
        }
        try {
            return SplitSelection.parse(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--split: " + e.getMessage());
        }
    }

    /** dataset.json's {@code created}: {@code SOURCE_DATE_EPOCH} when set (reproducible outputs), else now. */
    static Clock clock() {
        String epoch = System.getenv("SOURCE_DATE_EPOCH");
        if (epoch != null && !epoch.isBlank()) {
            try {
                return Clock.fixed(Instant.ofEpochSecond(Long.parseLong(epoch.trim())), ZoneOffset.UTC);
            } catch (NumberFormatException e) {
                throw new UsageException("SOURCE_DATE_EPOCH must be an integer number of seconds, got '" + epoch + "'");
            }
        }
        return Clock.systemUTC();
    }
}
