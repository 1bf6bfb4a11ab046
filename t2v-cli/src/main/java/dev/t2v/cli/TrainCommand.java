package dev.t2v.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.diffusion.TimestepSampling;
import dev.t2v.train.Checkpoints;
import dev.t2v.train.Trainer;
import dev.t2v.train.TrainingConfig;
import dev.t2v.train.TrainingData;
import dev.t2v.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code t2v train}: trains a denoiser on a preprocessed dataset, writing checkpoints, metrics.csv, loss.png and the
 * final model bundle under {@code --out}. The configuration is resolved in layers — defaults, {@code --recipe},
 * {@code --config} JSON, then flags — and saved as {@code RUN/config.json}; {@code --resume} starts from that file
 * and the newest complete checkpoint.
 */
public final class TrainCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a denoiser on a preprocessed dataset (checkpoints, exact resume, model bundle)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(flag("data", "DIR", "preprocessed dataset (t2v preprocess output)"));
        o.addOption(flag("out", "RUN", "run directory: checkpoints/, metrics.csv, loss.png, model/"));
        o.addOption(flag("preset", "NAME", "denoiser preset: " + String.join(", ", DenoiserConfig.presetNames())
                + " (default demo)"));
        o.addOption(flag("recipe", "NAME", "named hyperparameters: seed (100 epochs, batch 1 x 8 accumulated, lr 1e-4, "
                + "clip 1.0, a checkpoint each epoch)"));
        o.addOption(flag("max-steps", "N", "stop after N optimiser steps in all (default: by --epochs)"));
        o.addOption(flag("stop-at", "N", "pause after step N with a checkpoint, keeping the schedule of the whole run "
                + "(continue later with --resume)"));
        o.addOption(flag("epochs", "N", "passes over the training split (default 100)"));
        o.addOption(flag("batch", "B", "clips per micro-batch (default per preset: tiny/demo 8, small 4, base 2, seed 1)"));
        o.addOption(flag("accum", "N", "micro-batches accumulated per optimiser step (default 1)"));
        o.addOption(flag("lr", "X", "peak learning rate (default 1e-4)"));
        o.addOption(flag("lr-schedule", "S", "constant or cosine, after warm-up (default constant)"));
        o.addOption(flag("warmup", "N", "linear warm-up steps (default 0)"));
        o.addOption(flag("seed", "S", "seed of the initial weights, data order and noise (default 0)"));
        o.addOption(flag("save-every", "N", "checkpoint every N steps besides each epoch's end (default 0: epochs only)"));
        o.addOption(flag("keep", "K", "checkpoints kept besides the best by validation loss (default 3)"));
        o.addOption(flag("val-every", "N", "validate every N steps besides each checkpoint (default 0)"));
        o.addOption(flag("cfg-dropout", "P", "probability of training a sample on the empty prompt (default 0.1)"));
        o.addOption(flag("min-snr-gamma", "G", "min-SNR-gamma loss weighting, 0 = off (default 0; 5 is usual)"));
        o.addOption(flag("ema-decay", "D", "EMA decay of the shipped weights, in [0, 1) (default 0.9999)"));
        addScheduleOptions(o);
        o.addOption(flag("init", "DIR", "start from the weights of a model bundle or checkpoint (fine-tuning); its "
                + "denoiser, text encoder and codec must match the data's"));
        o.addOption(Option.builder().longOpt("resume").desc("continue the run in --out from its newest complete "
                + "checkpoint").build());
        o.addOption(flag("vae", "DIR", "the VAE folder the data was encoded with, if it moved since preprocessing"));
        o.addOption(flag("text-model", "M.onnx", "the text encoder the data was made with, if it moved (with "
                + "--tokenizer)"));
        o.addOption(flag("tokenizer", "T.json", "the text encoder's tokenizer.json (with --text-model)"));
        return o;
    }

    /** The flags that shape the noise schedule and the timestep draws (shared with {@code t2v schedule-check}). */
    static void addScheduleOptions(Options o) {
        o.addOption(flag("config", "FILE", "training config JSON (keys as in RUN/config.json); flags override it"));
        o.addOption(flag("prediction-type", "P", "what the denoiser predicts: epsilon, v_prediction or sample "
                + "(default epsilon)"));
        o.addOption(Option.builder().longOpt("zero-terminal-snr").desc("rescale the noise schedule so that its last "
                + "step is pure noise (needs v_prediction or sample; docs/training.md)").build());
        o.addOption(flag("snr-shift", "S", "divide every step's SNR by S^2, for sparse or large latents (default 1; "
                + "t2v schedule-check measures it)"));
        o.addOption(flag("timestep-sampling", "D", "how training draws timesteps: uniform, logit-normal:LOC,SCALE, or "
                + "logit-normal:LOC,SCALE+uniform:SHARE to keep a share of uniform draws (default uniform)"));
        o.addOption(flag("timestep-spacing", "S", "the sampling timesteps the bundle defaults to: leading, trailing "
                + "or linspace (default leading)"));
    }

    private static Option flag(String name, String arg, String desc) {
        return Option.builder().longOpt(name).hasArg().argName(arg).desc(desc).build();
    }

    /** Clips measured before training to catch a wrong latent scaling factor (a few MB read). */
    static final int LATENT_STATS_CLIPS = 256;

    @Override
    public int run(CommandLine cmd, CliContext ctx) throws Exception {
        Path data = Flags.existing(cmd, "data");
        if (!Files.isDirectory(data)) {
            throw UsageException.badValue("data", data.toString(), "a preprocessed dataset directory");
        }
        Path out = Path.of(Flags.required(cmd, "out"));
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw UsageException.badValue("out", out.toString(), "a directory (this is a file)");
        }
        boolean resume = cmd.hasOption("resume");
        long stopAt = cmd.hasOption("stop-at") ? Flags.intIn(cmd, "stop-at", 0, 1, Integer.MAX_VALUE) : Long.MAX_VALUE;
        TrainingConfig cfg = resolveConfig(cmd, out, resume);
        if (!resume && !new Checkpoints(out, ctx.err()).list().isEmpty()) {
            throw new UsageException("--out: " + out + " already has checkpoints; pass --resume to continue that run, "
                    + "or choose another --out");
        }
        TrainingData.ModelFiles files = modelFiles(cmd);

        try (TrainingData d = TrainingData.open(data, cfg.trainSplit(), cfg.valSplit())) {
            String scale = TrainingData.scaleProblem(d.latentStats(LATENT_STATS_CLIPS), d.info().scalingFactor());
            if (scale != null) {
                throw new UsageException("--data: " + data + ": " + scale);
            }
            Trainer trainer;
            try {
                trainer = new Trainer(cfg, d.train(), d.validation(), d.refs(files), out, ctx.err());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (d.validation() == null) {
                ctx.err().println("warning: the " + cfg.valSplit() + " split is empty: training without validation "
                        + "(the newest checkpoints are kept)");
            }
            ctx.err().printf("training %s (%,d parameters) on %d clips, %d steps%n", cfg.preset(),
                    trainer.modelConfig().parameterCount(), d.train().size(), trainer.totalSteps());
            TrainingResult r = trainer.run(resume, stopAt);
            ctx.out().println(r.summary());
        }
        return Main.OK;
    }

    /** Layers: RUN/config.json when resuming ({@code out} may be null otherwise), the recipe, the --config file, then the flags. */
    static TrainingConfig resolveConfig(CommandLine cmd, Path out, boolean resume) throws IOException {
        List<JsonNode> layers = new ArrayList<>();
        if (resume && Files.isRegularFile(out.resolve("config.json"))) {
            layers.add(readJson(out.resolve("config.json"), "out"));
        }
        String recipe = Flags.oneOf(cmd, "recipe", null, Set.copyOf(TrainingConfig.recipeNames()));
        if (recipe != null) {
            layers.add(TrainingConfig.recipe(recipe));
        }
        if (cmd.hasOption("config")) {
            Path file = Flags.existing(cmd, "config");
            layers.add(readJson(file, "config"));
        }
        layers.add(flagLayer(cmd));
        try {
            return TrainingConfig.resolve(layers);
        } catch (IllegalArgumentException e) {
            throw new UsageException("invalid training configuration: " + e.getMessage() + flagsOf(e.getMessage()));
        }
    }

    /** Config keys and the flags that set them, so that a refused combination names the flags to change. */
    private static final Map<String, String> FLAG_OF_KEY = Map.ofEntries(Map.entry("min_snr_gamma", "--min-snr-gamma"),
            Map.entry("rescale_betas_zero_snr", "--zero-terminal-snr"), Map.entry("prediction_type", "--prediction-type"),
            Map.entry("snr_shift", "--snr-shift"), Map.entry("timestep_sampling", "--timestep-sampling"),
            Map.entry("timestep_spacing", "--timestep-spacing"), Map.entry("learning_rate", "--lr"),
            Map.entry("batch_size", "--batch"), Map.entry("accumulation", "--accum"), Map.entry("init", "--init"));

    /** " (flags: --a, --b)" for the config keys {@code message} names, or "". */
    static String flagsOf(String message) {
        List<String> flags = FLAG_OF_KEY.entrySet().stream().filter(e -> message.contains(e.getKey()))
                .map(Map.Entry::getValue).sorted().toList();
        return flags.isEmpty() ? "" : " (flags: " + String.join(", ", flags) + ")";
    }

    private static JsonNode readJson(Path file, String flag) throws IOException {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw UsageException.badValue(flag, file.toString(), "a JSON file (" + e.getOriginalMessage() + ")");
        }
    }

    /** The flags given, each range-checked (the error names the flag), as a config layer. */
    private static ObjectNode flagLayer(CommandLine cmd) {
        ObjectNode n = JSON.createObjectNode();
        if (cmd.hasOption("preset")) {
            n.put("preset", Flags.oneOf(cmd, "preset", null, Set.copyOf(DenoiserConfig.presetNames())));
        }
        if (cmd.hasOption("max-steps")) {
            n.put("max_steps", Flags.intIn(cmd, "max-steps", 0, 1, Integer.MAX_VALUE));
        }
        if (cmd.hasOption("epochs")) {
            n.put("epochs", Flags.intIn(cmd, "epochs", 0, 1, 1_000_000));
        }
        if (cmd.hasOption("batch")) {
            n.put("batch_size", Flags.intIn(cmd, "batch", 0, 1, 4096));
        }
        if (cmd.hasOption("accum")) {
            n.put("accumulation", Flags.intIn(cmd, "accum", 0, 1, 4096));
        }
        if (cmd.hasOption("lr")) {
            double lr = Flags.doubleIn(cmd, "lr", 0, 0, 10);
            if (!(lr > 0)) {
                throw UsageException.badValue("lr", cmd.getOptionValue("lr"), "a number in (0, 10]");
            }
            n.put("learning_rate", lr);
        }
        if (cmd.hasOption("lr-schedule")) {
            n.put("lr_schedule", Flags.oneOf(cmd, "lr-schedule", null, Set.of("constant", "cosine")));
        }
        if (cmd.hasOption("warmup")) {
            n.put("warmup_steps", Flags.intIn(cmd, "warmup", 0, 0, Integer.MAX_VALUE));
        }
        if (cmd.hasOption("seed")) {
            n.put("seed", Flags.longValue(cmd, "seed", 0));
        }
        if (cmd.hasOption("save-every")) {
            n.put("save_every", Flags.intIn(cmd, "save-every", 0, 0, Integer.MAX_VALUE));
        }
        if (cmd.hasOption("keep")) {
            n.put("keep", Flags.intIn(cmd, "keep", 0, 1, 1_000_000));
        }
        if (cmd.hasOption("val-every")) {
            n.put("val_every", Flags.intIn(cmd, "val-every", 0, 0, Integer.MAX_VALUE));
        }
        if (cmd.hasOption("cfg-dropout")) {
            n.put("cfg_dropout", Flags.doubleIn(cmd, "cfg-dropout", 0, 0, 1));
        }
        if (cmd.hasOption("min-snr-gamma")) {
            n.put("min_snr_gamma", Flags.doubleIn(cmd, "min-snr-gamma", 0, 0, 1e6));
        }
        ObjectNode scheduler = JSON.createObjectNode();
        if (cmd.hasOption("prediction-type")) {
            scheduler.put("prediction_type", Flags.oneOf(cmd, "prediction-type", null,
                    Set.of("epsilon", "v_prediction", "sample")));
        }
        if (cmd.hasOption("zero-terminal-snr")) {
            scheduler.put("rescale_betas_zero_snr", true);
        }
        if (cmd.hasOption("snr-shift")) {
            double shift = Flags.doubleIn(cmd, "snr-shift", 1, 0, 1000);
            if (!(shift > 0)) {
                throw UsageException.badValue("snr-shift", cmd.getOptionValue("snr-shift"), "a number in (0, 1000]");
            }
            scheduler.put("snr_shift", shift);
        }
        if (cmd.hasOption("timestep-spacing")) {
            scheduler.put("timestep_spacing", Flags.oneOf(cmd, "timestep-spacing", null,
                    Set.of("leading", "trailing", "linspace")));
        }
        if (!scheduler.isEmpty()) {
            n.set("scheduler", scheduler);
        }
        if (cmd.hasOption("timestep-sampling")) {
            String value = cmd.getOptionValue("timestep-sampling");
            try {
                n.put("timestep_sampling", TimestepSampling.parse(value).label());
            } catch (IllegalArgumentException e) {
                throw UsageException.badValue("timestep-sampling", value,
                        "uniform, logit-normal:LOC,SCALE or logit-normal:LOC,SCALE+uniform:SHARE");
            }
        }
        if (cmd.hasOption("init")) {
            Path init = Flags.existing(cmd, "init");
            if (!Files.isDirectory(init)) {
                throw UsageException.badValue("init", init.toString(), "a model bundle or checkpoint directory");
            }
            n.put("init", init.toAbsolutePath().normalize().toString());
        }
        if (cmd.hasOption("ema-decay")) {
            double d = Flags.doubleIn(cmd, "ema-decay", 0, 0, 1);
            if (d >= 1) {
                throw UsageException.badValue("ema-decay", cmd.getOptionValue("ema-decay"), "a number in [0, 1)");
            }
            n.put("ema_decay", d);
        }
        return n;
    }

    private static TrainingData.ModelFiles modelFiles(CommandLine cmd) {
        Path vae = null;
        if (cmd.hasOption("vae")) {
            vae = Flags.existing(cmd, "vae");
            if (!Files.isDirectory(vae)) {
                throw UsageException.badValue("vae", vae.toString(), "a directory holding the VAE's ONNX models");
            }
        }
        Path model = null;
        Path tokenizer = null;
        if (cmd.hasOption("text-model") != cmd.hasOption("tokenizer")) {
            throw new UsageException("--text-model and --tokenizer go together");
        }
        if (cmd.hasOption("text-model")) {
            model = Flags.existing(cmd, "text-model");
            tokenizer = Flags.existing(cmd, "tokenizer");
        }
        return new TrainingData.ModelFiles(vae, model, tokenizer);
    }
}
