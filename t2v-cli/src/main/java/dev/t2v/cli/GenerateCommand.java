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
        o.addOption(Option.builder().longOpt("prompt").hasArg().argName("TEXT").desc("what the video shows (required)").build());
        o.addOption(Option.builder().longOpt("negative").hasArg().argName("TEXT")
                .desc("what to steer away from (default: the empty prompt)").build());
        o.addOption(Option.builder().longOpt("model").hasArg().argName("DIR")
                .desc("model bundle directory (default: the bundled demo model)").build());
        o.addOption(Option.builder().longOpt("out").hasArg().argName("FILE")
                .desc("output file (required); .mp4, .gif or .png (contact sheet)").build());
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
        if (Files.isDirectory(out)) {
            throw UsageException.badValue("out", out.toString(), "a file path (this is a directory)");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw UsageException.badValue("out", out.toString(), "a file in an existing directory");
        }
        Path modelDir = modelFlag(cmd);
        Backend backend = backend(cmd);
        Integer frames = cmd.hasOption("frames") ? Flags.intIn(cmd, "frames", 0, 1, GenerationRequest.MAX_FRAMES) : null;
        Double fps = cmd.hasOption("fps") ? positive(cmd, "fps", 60) : null;
        Integer steps = cmd.hasOption("steps") ? Flags.intIn(cmd, "steps", 0, 1, GenerationRequest.MAX_STEPS) : null;
        Double guidance = cmd.hasOption("guidance")
                ? Flags.doubleIn(cmd, "guidance", 0, 0, GenerationRequest.MAX_GUIDANCE) : null;
        double rescale = Flags.doubleIn(cmd, "guidance-rescale", 0, 0, 1);
        String sampler = Flags.oneOf(cmd, "sampler", null, new LinkedHashSet<>(Schedulers.names()));
        long seed = Flags.longValue(cmd, "seed", 0);
        double eta = Flags.doubleIn(cmd, "eta", 0, 0, 1);
        GuidanceInterval interval = guidanceInterval(cmd);
        Path initVideo = cmd.hasOption("init-video") ? Flags.existing(cmd, "init-video") : null;
        if (cmd.hasOption("strength") && initVideo == null) {
            throw new UsageException("--strength needs --init-video");
        }
        double strength = cmd.hasOption("strength") ? positive(cmd, "strength", 1) : 0.6;

        Video init = initVideo == null ? null : readVideo(initVideo);
        long start = System.nanoTime();
        try (TextToVideoPipeline pipeline = TextToVideoPipeline.load(modelDir, backend)) {
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            GenerationDefaults d = pipeline.defaults();
            GenerationRequest request = build(() -> pipeline.requestBuilder(prompt)
                    .negativePrompt(cmd.getOptionValue("negative", ""))
                    .frames(frames != null ? frames : d.frames()).fps(fps != null ? fps : d.fps())
                    .steps(steps != null ? steps : d.steps()).guidanceScale(guidance != null ? guidance : d.guidance())
                    .guidanceRescale(rescale).sampler(sampler != null ? sampler : d.sampler()).seed(seed).eta(eta)
                    .initVideo(init, strength)
                    .guidanceInterval(interval != null ? interval : d.guidanceInterval()).build());
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

    /** A number in (0, max]. */
    private static double positive(CommandLine cmd, String flag, double max) {
        double v = Flags.doubleIn(cmd, flag, max, 0, max);
        if (v <= 0) {
            throw UsageException.badValue(flag, cmd.getOptionValue(flag), "a number in (0, " + trim(max) + "]");
        }
        return v;
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
