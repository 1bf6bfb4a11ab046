package dev.t2v.cli;

import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.core.diffusion.Schedulers;
import dev.t2v.data.video.Video;
import dev.t2v.data.video.VideoReader;
import dev.t2v.inference.Backend;
import dev.t2v.inference.GenerationDefaults;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.TextToVideoPipeline;
import dev.t2v.inference.eval.Throughput;
import dev.t2v.inference.eval.ThroughputMeter;
import dev.t2v.inference.output.ContactSheet;
import dev.t2v.inference.output.GifWriter;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/** {@code t2v generate}: one prompt to an MP4, GIF or PNG contact sheet. */
public final class GenerateCommand implements Command {
    /** What the {@code --out} ending selects. */
    enum Format {
        MP4, GIF, PNG;

        static Format of(Path out) {
            String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".mp4")) {
                return MP4;
            }
            if (name.endsWith(".gif")) {
                return GIF;
            }
            if (name.endsWith(".png")) {
                return PNG;
            }
            throw UsageException.badValue("out", out.toString(), "a file ending in .mp4, .gif or .png");
        }

        void write(Video video, Path out, String caption) throws java.io.IOException {
            switch (this) {
                case MP4 -> video.writeMp4(out);
                case GIF -> GifWriter.write(video, out);
                case PNG -> ContactSheet.write(video, out, caption);
            }
        }
    }

    /** The request fields' flags, to name the flag when the request rejects a value. */
    private static final Map<String, String> FLAG_OF_FIELD = Map.of("prompt", "prompt", "negativePrompt", "negative",
            "frames", "frames", "fps", "fps", "steps", "steps", "guidanceScale", "guidance", "guidanceRescale",
            "guidance-rescale", "sampler", "sampler", "eta", "eta", "strength", "strength");

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "generate a video from a prompt (MP4, GIF or PNG contact sheet)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("prompt").hasArg().argName("TEXT")
                .desc("what the video shows (required; \"\" asks for an unconditional video)").build());
        o.addOption(Option.builder().longOpt("negative").hasArg().argName("TEXT")
                .desc("what to steer away from (default: the empty prompt)").build());
        o.addOption(Option.builder().longOpt("model").hasArg().argName("DIR")
                .desc("model bundle directory (default: the bundled demo model)").build());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("FILE")
                .desc("output file (required); .mp4, .gif or .png (contact sheet), in an existing folder").build());
        o.addOption(Option.builder().longOpt("frames").hasArg().argName("N")
                .desc("frames, [1, " + GenerationRequest.MAX_FRAMES + "] (default: the model's window; more are"
                        + " co-denoised in overlapping windows)").build());
        o.addOption(Option.builder().longOpt("fps").hasArg().argName("FPS").desc("frame rate, (0, 60] (default: the model's)").build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("N")
                .desc("denoising steps, [1, " + GenerationRequest.MAX_STEPS + "] (default: the model's)").build());
        o.addOption(Option.builder().longOpt("guidance").hasArg().argName("G")
                .desc("classifier-free guidance scale, [0, " + (int) GenerationRequest.MAX_GUIDANCE + "]; 1 turns it off"
                        + " (default: the model's)").build());
        o.addOption(Option.builder().longOpt("guidance-rescale").hasArg().argName("PHI")
                .desc("guidance rescale, [0, 1] (default 0)").build());
        o.addOption(Option.builder().longOpt("sampler").hasArg().argName("NAME")
                .desc("one of " + String.join(", ", Schedulers.names()) + " (default: the model's)").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("random seed (default 0)").build());
        o.addOption(Option.builder().longOpt("eta").hasArg().argName("ETA").desc("DDIM eta, [0, 1] (default 0)").build());
        o.addOption(Option.builder().longOpt("init-video").hasArg().argName("FILE")
                .desc("video-to-video: start from this video (SDEdit)").build());
        o.addOption(Option.builder().longOpt("strength").hasArg().argName("S")
                .desc("with --init-video: how much is regenerated, (0, 1] (default 0.6)").build());
        o.addOption(Option.builder().longOpt("guidance-interval").hasArg().argName("LO,HI")
                .desc("guide only at timesteps LO..HI (e.g. 0,700), or all (default: the model's)").build());
        o.addOption(Option.builder().longOpt("backend").hasArg().argName("NAME")
                .desc("denoiser runtime: ort (ONNX Runtime) or samediff (the reference) (default ort)").build());
        return o;
    }

    @Override
    public int run(CommandLine cmd, CliContext ctx) throws Exception {
        // Every flag is checked before the model loads, so a typo costs nothing.
        String prompt = cmd.getOptionValue("prompt");
        if (prompt == null) {
            throw new UsageException("--prompt is required");
        }
        checkLength("prompt", prompt);
        checkLength("negative", cmd.getOptionValue("negative", ""));
        Path out = Path.of(Flags.required(cmd, "out"));
        Format format = Format.of(out);
        Flags.outputFile(cmd, "out");
        Path modelDir = modelFlag(cmd);
        Backend backend = backend(cmd);
        // The flags' values are typed here; their bounds are GenerationRequest's (the web's too), checked below.
        Integer frames = Flags.integerOrNull(cmd, "frames");
        Double fps = Flags.numberOrNull(cmd, "fps");
        Integer steps = Flags.integerOrNull(cmd, "steps");
        Double guidance = Flags.numberOrNull(cmd, "guidance");
        Double rescale = Flags.numberOrNull(cmd, "guidance-rescale");
        String sampler = Flags.oneOf(cmd, "sampler", null, new LinkedHashSet<>(Schedulers.names()));
        long seed = Flags.longValue(cmd, "seed", 0);
        Double eta = Flags.numberOrNull(cmd, "eta");
        GuidanceInterval interval = guidanceInterval(cmd);
        Path initVideo = cmd.hasOption("init-video") ? Flags.existing(cmd, "init-video") : null;
        if (cmd.hasOption("strength") && initVideo == null) {
            throw new UsageException("--strength needs --init-video");
        }
        Double strength = Flags.numberOrNull(cmd, "strength");
        // The flags over a set of defaults: the model's once it is loaded; a stand-in's now, so that a value the
        // request refuses costs nothing.
        UnaryOperator<GenerationRequest.Builder> flags = b -> {
            b.negativePrompt(cmd.getOptionValue("negative", "")).seed(seed);
            if (frames != null) {
                b.frames(frames);
            }
            if (fps != null) {
                b.fps(fps);
            }
            if (steps != null) {
                b.steps(steps);
            }
            if (guidance != null) {
                b.guidanceScale(guidance);
            }
            if (rescale != null) {
                b.guidanceRescale(rescale);
            }
            if (sampler != null) {
                b.sampler(sampler);
            }
            if (eta != null) {
                b.eta(eta);
            }
            if (interval != null) {
                b.guidanceInterval(interval);
            }
            return b;
        };
        build(() -> flags.apply(GenerationDefaults.forWindow(1).builder(prompt))
                .initVideo(null, strength != null ? strength : 0.6).build());

        Video init = initVideo == null ? null : readVideo(initVideo);
        long start = System.nanoTime();
        try (TextToVideoPipeline pipeline = TextToVideoPipeline.load(modelDir, backend)) {
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            GenerationRequest request = build(() -> flags.apply(pipeline.requestBuilder(prompt))
                    .initVideo(init, strength != null ? strength : 0.6).build());
            Video video;
            ThroughputMeter meter;
            try (StageProgress progress = new StageProgress(ctx.err(), "")) {
                meter = new ThroughputMeter(progress);
                video = pipeline.generate(request, meter);
            }
            format.write(video, out, prompt);
            Throughput speed = meter.result();
            ctx.out().printf(Locale.ROOT, "wrote %s: %d frames, %dx%d, %s fps, %s %d steps, seed %d%n", out,
                    video.frameCount(), video.width(), video.height(), trim(request.fps()), request.sampler(),
                    request.steps(), request.seed());
            ctx.out().printf(Locale.ROOT, "time: load %.1f s, generate %.2f s (%.3f s/step), peak RSS %s%n",
                    loadSeconds, speed.totalSeconds(), speed.secondsPerStep(),
                    speed.peakRssBytes() < 0 ? "unknown" : (speed.peakRssBytes() >> 20) + " MiB");
        }
        return Main.OK;
    }

    /** {@code --guidance-interval}, or null when not given. */
    static GuidanceInterval guidanceInterval(CommandLine cmd) {
        if (!cmd.hasOption("guidance-interval")) {
            return null;
        }
        String value = cmd.getOptionValue("guidance-interval");
        try {
            return GuidanceInterval.parse(value);
        } catch (IllegalArgumentException e) {
            throw UsageException.badValue("guidance-interval", value, "LO,HI (two timesteps, 0 <= LO <= HI) or all");
        }
    }

    /** Refuses a prompt longer than {@link GenerationRequest#MAX_PROMPT_CHARS} before anything loads. */
    private static void checkLength(String flag, String text) throws UsageException {
        if (text.length() > GenerationRequest.MAX_PROMPT_CHARS) {
            throw UsageException.badValue(flag, text.length() + " characters",
                    "at most " + GenerationRequest.MAX_PROMPT_CHARS + " characters");
        }
    }

    private static Video readVideo(Path file) throws java.io.IOException {
        try (VideoReader reader = VideoReader.open(file)) {
            return reader.readAll();
        }
    }

    /** The {@code --model} directory if given (it must exist and be a directory), else the demo model. */
    static Path modelFlag(CommandLine cmd) {
        Path dir = cmd.hasOption("model") ? Flags.existing(cmd, "model") : null;
        if (dir != null && !Files.isDirectory(dir)) {
            throw UsageException.badValue("model", dir.toString(), "a model bundle directory");
        }
        return DefaultModel.resolve(dir);
    }

    static Backend backend(CommandLine cmd) {
        String name = Flags.oneOf(cmd, "backend", "ort", Set.of("samediff", "ort"));
        return Backend.parse(name);
    }

    /** Builds the request, turning its validation message ("frames: expected …") into a usage error naming the flag. */
    static GenerationRequest build(java.util.function.Supplier<GenerationRequest> builder) {
        try {
            return builder.get();
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage();
            int colon = msg.indexOf(':');
            String flag = colon > 0 ? FLAG_OF_FIELD.get(msg.substring(0, colon)) : null;
            if (flag == null) {
                throw e;
            }
            throw new UsageException("--" + flag + msg.substring(colon));
        }
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
