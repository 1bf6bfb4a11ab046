package dev.t2v.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.core.io.AtomicFiles;
import dev.t2v.core.diffusion.GuidanceInterval;
import dev.t2v.core.diffusion.Schedulers;
import dev.t2v.data.msrvtt.AnnotationFormatException;
import dev.t2v.data.synthetic.Colour;
import dev.t2v.data.synthetic.Combo;
import dev.t2v.data.synthetic.Direction;
import dev.t2v.data.synthetic.PromptSpec;
import dev.t2v.data.synthetic.PromptsTsv;
import dev.t2v.data.synthetic.Shape;
import dev.t2v.data.video.Video;
import dev.t2v.inference.GenerationDefaults;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.TextToVideoPipeline;
import dev.t2v.inference.eval.AdherenceEvaluator;
import dev.t2v.inference.eval.ClipEvaluator;
import dev.t2v.inference.eval.ClipScore;
import dev.t2v.inference.eval.ClipSim;
import dev.t2v.inference.eval.EvalOptions;
import dev.t2v.inference.eval.Throughput;
import dev.t2v.inference.eval.synthetic.AdherenceReport;
import dev.t2v.inference.eval.synthetic.GroundTruth;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * {@code t2v evaluate}: the adherence suite (synthetic prompts, per-attribute accuracy, objects per frame and flicker,
 * seen and held-out apart, with 95 % intervals) or the CLIPSIM suite, printed as a table with the generation speed,
 * and optionally written as JSON. {@code --ground-truth} scores the synthetic set's own clips instead of generating:
 * the reference row.
 */
public final class EvaluateCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "score a model: adherence on synthetic prompts, or CLIPSIM";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("suite").hasArg().argName("NAME").desc("adherence or clip (required)").build());
        o.addOption(Option.builder().longOpt("model").hasArg().argName("DIR")
                .desc("model bundle directory (default: the bundled demo model)").build());
        o.addOption(Option.builder().longOpt("prompts").hasArg().argName("FILE")
                .desc("prompts: a prompts.tsv (t2v synth writes one; adherence needs its labels) or, for clip, one"
                        + " prompt per line (default: the canonical prompt of every colour/shape/direction)").build());
        o.addOption(Option.builder().longOpt("paraphrases")
                .desc("use the bundled paraphrased prompts (colour words, motion phrasings and sentence shapes the"
                        + " synthetic captions never use; labels in its columns) instead of --prompts").build());
        o.addOption(Option.builder().longOpt("ground-truth").hasArg().argName("SYNTH_DIR")
                .desc("for --suite adherence: score the synthetic set's own clips of each prompt's combination (up to"
                        + " --samples each, windows of the model's frames and fps) instead of generating: the"
                        + " reference row").build());
        o.addOption(Option.builder().longOpt("through-codec")
                .desc("with --ground-truth: pass each clip through the model's codec (encode, decode) before scoring:"
                        + " the ceiling a generation can reach with this codec").build());
        o.addOption(Option.builder().longOpt("clip").hasArg().argName("DIR")
                .desc("for --suite clip: CLIP vision + text ONNX models and tokenizer.json (docs/onnx-export.md)").build());
        o.addOption(Option.builder().longOpt("json").hasArg().argName("FILE").desc("also write the results as JSON (in an existing folder)").build());
        o.addOption(Option.builder().longOpt("samples").hasArg().argName("N").desc("videos per prompt (default 1)").build());
        o.addOption(Option.builder().longOpt("frames").hasArg().argName("N").desc("frames per video (default: the model's)").build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("N").desc("denoising steps (default: the model's)").build());
        o.addOption(Option.builder().longOpt("guidance").hasArg().argName("G").desc("guidance scale (default: the model's)").build());
        o.addOption(Option.builder().longOpt("guidance-interval").hasArg().argName("LO,HI")
                .desc("guide only at timesteps LO..HI, or all (default: the model's)").build());
        o.addOption(Option.builder().longOpt("sampler").hasArg().argName("NAME")
                .desc("one of " + String.join(", ", Schedulers.names()) + " (default: the model's)").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S")
                .desc("seed of the first video; video i uses seed + i (default 0)").build());
        o.addOption(Option.builder().longOpt("backend").hasArg().argName("NAME")
                .desc("denoiser runtime: ort (ONNX Runtime) or samediff (the reference) (default ort)").build());
        return o;
    }

    @Override
    public int run(CommandLine cmd, CliContext ctx) throws Exception {
        String suite = Flags.oneOf(cmd, "suite", null, new LinkedHashSet<>(List.of("adherence", "clip")));
        if (suite == null) {
            throw new UsageException("--suite is required (adherence or clip)");
        }
        Path groundTruth = null;
        if (cmd.hasOption("ground-truth")) {
            if (!suite.equals("adherence")) {
                throw new UsageException("--ground-truth is for --suite adherence");
            }
            groundTruth = Flags.existing(cmd, "ground-truth");
            if (!Files.isDirectory(groundTruth)) {
                throw UsageException.badValue("ground-truth", groundTruth.toString(), "a synthetic set directory");
            }
        }
        boolean throughCodec = cmd.hasOption("through-codec");
        if (throughCodec && groundTruth == null) {
            throw new UsageException("--through-codec is for --ground-truth");
        }
        Path clipDir = null;
        if (suite.equals("clip")) {
            clipDir = Flags.existing(cmd, "clip");
            if (!Files.isDirectory(clipDir)) {
                throw UsageException.badValue("clip", clipDir.toString(), "a directory of CLIP ONNX models");
            }
        } else if (cmd.hasOption("clip")) {
            throw new UsageException("--clip is for --suite clip");
        }
        boolean paraphrases = cmd.hasOption("paraphrases");
        if (paraphrases && cmd.hasOption("prompts")) {
            throw new UsageException("--paraphrases and --prompts both choose the prompts: give one");
        }
        Path promptsFile = cmd.hasOption("prompts") ? Flags.existing(cmd, "prompts") : null;
        List<PromptSpec> specs = !suite.equals("adherence") ? null
                : paraphrases ? PromptsTsv.paraphrases() : adherencePrompts(promptsFile);
        List<String> prompts = !suite.equals("clip") ? null
                : paraphrases ? PromptsTsv.paraphrases().stream().map(PromptSpec::prompt).toList()
                : clipPrompts(promptsFile);
        // Like generate --out: the folder must exist and take a file, checked before the evaluation runs.
        Path json = cmd.hasOption("json") ? Flags.outputFile(cmd, "json") : null;
        int samples = Flags.intIn(cmd, "samples", 1, 1, 10_000);
        List<GroundTruth.Clip> truth = groundTruth == null ? null : groundTruthClips(groundTruth, specs, samples);
        Integer frames = cmd.hasOption("frames") ? Flags.intIn(cmd, "frames", 0, 1, GenerationRequest.MAX_FRAMES) : null;
        Integer steps = cmd.hasOption("steps") ? Flags.intIn(cmd, "steps", 0, 1, GenerationRequest.MAX_STEPS) : null;
        Double guidance = cmd.hasOption("guidance")
                ? Flags.doubleIn(cmd, "guidance", 0, 0, GenerationRequest.MAX_GUIDANCE) : null;
        String sampler = Flags.oneOf(cmd, "sampler", null, new LinkedHashSet<>(Schedulers.names()));
        long seed = Flags.longValue(cmd, "seed", 0);
        GuidanceInterval interval = GenerateCommand.guidanceInterval(cmd);
        Path modelDir = GenerateCommand.modelFlag(cmd);
        var backend = GenerateCommand.backend(cmd);

        try (TextToVideoPipeline pipeline = TextToVideoPipeline.load(modelDir, backend)) {
            GenerationDefaults d = pipeline.defaults();
            EvalOptions options = new EvalOptions(samples, frames != null ? frames : d.frames(), d.fps(),
                    steps != null ? steps : d.steps(), guidance != null ? guidance : d.guidance(),
                    sampler != null ? sampler : d.sampler(), seed, interval != null ? interval : d.guidanceInterval());
            ObjectNode root = JSON.createObjectNode();
            root.put("suite", suite);
            root.put("model", modelDir.toAbsolutePath().toString());
            root.set("options", JSON.valueToTree(options));
            root.put("prompts", paraphrases ? "paraphrases" : promptsFile != null
                    ? promptsFile.toAbsolutePath().toString() : "canonical");
            root.put("source", groundTruth != null ? "ground-truth" : "generated");
            Throughput speed;
            try (StageProgress progress = new StageProgress(ctx.err(), suite + " ")) {
                if (groundTruth != null) {
                    UnaryOperator<Video> through = !throughCodec ? UnaryOperator.identity()
                            : v -> pipeline.reconstruct(v, options.frames());
                    AdherenceReport r = AdherenceEvaluator.groundTruth(truth, options, through,
                            only(AdherenceEvaluator.STAGE, progress));
                    progress.close();
                    ctx.out().print(r.format());
                    ctx.out().printf(Locale.ROOT, "ground truth: %d clips of %s, the first %d frames at %s fps%s%n",
                            r.items().size(), groundTruth, options.frames(), options.fps(),
                            throughCodec ? ", through the model's codec" : "");
                    if (truth.size() < (long) specs.size() * samples) {
                        ctx.out().printf(Locale.ROOT, "note: the set has fewer than %d clips of some combinations:"
                                + " %d clips for %d prompts; those prompts use all it has%n", samples, truth.size(),
                                specs.size());
                    }
                    root.put("ground_truth", groundTruth.toAbsolutePath().toString());
                    root.put("through_codec", throughCodec);
                    root.set("adherence", adherenceJson(r));
                    speed = null;
                } else if (suite.equals("adherence")) {
                    AdherenceEvaluator.Result r = AdherenceEvaluator.evaluate(pipeline, specs, options,
                            only(AdherenceEvaluator.STAGE, progress));
                    progress.close();
                    ctx.out().print(r.report().format());
                    root.set("adherence", adherenceJson(r.report()));
                    speed = r.throughput();
                } else {
                    ClipEvaluator.Result r;
                    try (ClipSim clip = ClipSim.open(clipDir)) {
                        r = ClipEvaluator.evaluate(pipeline, clip, prompts, options, only(ClipEvaluator.STAGE, progress));
                    }
                    progress.close();
                    ctx.out().print(r.format());
                    root.set("clip", clipJson(r));
                    speed = r.throughput();
                }
            }
            if (speed != null) {
                ctx.out().println("speed: " + speed.format());
                ObjectNode t = root.putObject("throughput");
                t.put("videos", speed.videos());
                t.put("seconds_per_step", speed.secondsPerStep());
                t.put("seconds_per_video", speed.secondsPerVideo());
                t.put("frames_per_second", speed.framesPerSecond());
                t.put("peak_rss_bytes", speed.peakRssBytes());
            }
            if (json != null) {
                AtomicFiles.write(json, JSON.writeValueAsBytes(root));
                ctx.out().println("wrote " + json);
            }
        }
        return Main.OK;
    }

    /** Passes on only the per-video events of an evaluator, so the bar counts videos, not steps. */
    private static dev.t2v.inference.ProgressListener only(String stage, StageProgress progress) {
        return (s, done, total) -> {
            if (s.equals(stage)) {
                progress.onProgress(s, done, total);
            }
        };
    }

    private static List<PromptSpec> adherencePrompts(Path file) throws IOException {
        if (file == null) {
            return Combo.all().stream().map(PromptSpec::canonical).toList();
        }
        List<PromptSpec> specs;
        try {
            specs = PromptsTsv.read(file);
        } catch (AnnotationFormatException e) {
            throw new UsageException("--prompts: " + e.getMessage());
        }
        if (specs.isEmpty()) {
            throw UsageException.badValue("prompts", file.toString(), "a prompts.tsv with at least one prompt");
        }
        return specs;
    }

    /** The set's clips for each prompt, with a bad set or a combination it lacks as a usage error. */
    private static List<GroundTruth.Clip> groundTruthClips(Path synthDir, List<PromptSpec> specs, int samples)
            throws IOException {
        try {
            return GroundTruth.select(synthDir, specs, samples);
        } catch (IllegalArgumentException | AnnotationFormatException | NoSuchFileException e) {
            throw new UsageException("--ground-truth: " + e.getMessage());
        }
    }

    /** A prompts.tsv's prompt column, else one prompt per non-blank line (lines starting with # skipped). */
    private static List<String> clipPrompts(Path file) throws IOException {
        if (file == null) {
            return Combo.all().stream().map(Combo::canonicalPrompt).toList();
        }
        List<String> out = new ArrayList<>();
        try {
            PromptsTsv.read(file).forEach(p -> out.add(p.prompt()));
        } catch (AnnotationFormatException e) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.trim());
                }
            }
        }
        if (out.isEmpty()) {
            throw UsageException.badValue("prompts", file.toString(), "a file with at least one prompt");
        }
        return out;
    }

    private static ObjectNode adherenceJson(AdherenceReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.set("seen", JSON.valueToTree(r.seen()));
        o.set("held_out", JSON.valueToTree(r.heldOut()));
        o.set("all", JSON.valueToTree(r.all()));
        ArrayNode items = o.putArray("items");
        for (AdherenceReport.Item i : r.items()) {
            ObjectNode it = items.addObject();
            it.put("prompt", i.prompt().prompt());
            it.put("video", i.video());
            it.put("expected", i.prompt().combo().toString());
            it.put("held_out", i.prompt().heldOut());
            it.put("detected", i.detection().combo().map(Combo::toString).orElse(null));
            it.put("detected_colour", i.detection().colour().map(Colour::word).orElse(null));
            it.put("detected_shape", i.detection().shape().map(Shape::word).orElse(null));
            it.put("detected_direction", i.detection().direction().map(Direction::word).orElse(null));
            it.put("colour_right", i.colourRight());
            it.put("shape_right", i.shapeRight());
            it.put("direction_right", i.directionRight());
            it.put("objects_per_frame", i.objectsPerFrame());
            if (Double.isNaN(i.flicker())) {
                it.putNull("flicker");
            } else {
                it.put("flicker", i.flicker());
            }
        }
        return o;
    }

    private static ObjectNode clipJson(ClipEvaluator.Result r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("mean", r.mean());
        o.put("mean_x100", 100 * r.mean());
        ArrayNode prompts = o.putArray("prompts");
        for (ClipEvaluator.PromptScore p : r.prompts()) {
            ObjectNode po = prompts.addObject();
            po.put("prompt", p.prompt());
            po.put("mean", p.mean());
            ArrayNode s = po.putArray("samples");
            for (ClipScore c : p.samples()) {
                s.add(c.mean());
            }
        }
        return o;
    }

}
