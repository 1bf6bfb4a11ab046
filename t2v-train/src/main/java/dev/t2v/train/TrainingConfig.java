package dev.t2v.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.config.SchedulerConfig;
import dev.t2v.core.diffusion.PredictionType;
import dev.t2v.core.diffusion.TimestepSampling;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a training run is configured by, validated on construction. JSON keys are the snake_case names below;
 * {@link #resolve} merges layers (defaults, a recipe, a JSON file, command-line flags) so a layer only names what it
 * changes. The resolved config is saved as {@code RUN/config.json} and in every bundle's provenance.
 *
 * @param preset           denoiser preset ({@link DenoiserConfig#presetNames()}); its text width adapts to the data
 * @param scheduler        noise schedule and prediction type trained against
 * @param seed             seeds the initial weights, the data order and every draw of the run
 * @param epochs           passes over the training split; 0 = unbounded (then {@code maxSteps} must be set)
 * @param maxSteps         stop after this many optimiser steps; 0 = no limit
 * @param batchSize        clips per micro-batch
 * @param accumulation     micro-batches per optimiser step (gradient accumulation)
 * @param learningRate     peak learning rate
 * @param lrSchedule       shape after warm-up
 * @param warmupSteps      linear warm-up steps
 * @param adamBeta1        AdamW β1
 * @param adamBeta2        AdamW β2
 * @param adamEpsilon      AdamW ε
 * @param weightDecay      decoupled weight decay (AdamW), not applied to biases, norms and position embeddings
 * @param gradClip         global gradient-norm limit; 0 = no clipping
 * @param emaDecay         EMA decay ceiling; the decay used is {@code min(emaDecay, (1 + u) / (10 + u))} at update u
 * @param cfgDropout       probability that a sample's caption is replaced by the null (empty-prompt) embedding
 * @param minSnrGamma      min-SNR-γ loss weighting; 0 = off (uniform weights). Refused with a zero-terminal-SNR
 *                         schedule: it weights the terminal step by 0, the very step where content is decided
 * @param timestepSampling how training draws timesteps (uniform, or logit-normal towards the noisy end)
 * @param saveEvery        checkpoint every this many steps, besides each epoch's end and the last step; 0 = not
 * @param keep             checkpoints kept (the newest), besides the best by validation loss
 * @param valEvery         validation every this many steps, besides each checkpoint; 0 = only at checkpoints
 * @param valBatches       at most this many validation batches
 * @param valSeed          fixes the validation clips' order, captions, timesteps and noise (comparable across runs)
 * @param maxNonFinite     stop after this many optimiser steps in a row with a non-finite loss or gradient
 * @param trainSplit       the split trained on
 * @param valSplit         the held-out split validated on
 * @param textTokens       caption tokens per sample; 0 = the dataset's maximum
 * @param init             a model bundle or checkpoint directory whose weights the run starts from (fine-tuning);
 *                         empty = fresh weights from {@code seed}
 */
public record TrainingConfig(
        String preset,
        SchedulerConfig scheduler,
        long seed,
        int epochs,
        long maxSteps,
        int batchSize,
        int accumulation,
        double learningRate,
        LrSchedule lrSchedule,
        int warmupSteps,
        double adamBeta1,
        double adamBeta2,
        double adamEpsilon,
        double weightDecay,
        double gradClip,
        double emaDecay,
        double cfgDropout,
        double minSnrGamma,
        TimestepSampling timestepSampling,
        int saveEvery,
        int keep,
        int valEvery,
        int valBatches,
        long valSeed,
        int maxNonFinite,
        String trainSplit,
        String valSplit,
        int textTokens,
        String init) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> SPLITS = Set.of("train", "validate", "test");
    /** Keys that may change when a run is resumed; the others decide the arithmetic and must not. */
    public static final Set<String> RESUMABLE_CHANGES = Set.of("epochs", "max_steps", "save_every", "keep",
            "val_every", "val_batches", "max_non_finite");

    public TrainingConfig {
        if (preset == null || !DenoiserConfig.presetNames().contains(preset)) {
            throw new IllegalArgumentException("preset must be one of " + DenoiserConfig.presetNames() + ", got "
                    + preset);
        }
        Objects.requireNonNull(scheduler, "scheduler must not be null");
        Objects.requireNonNull(lrSchedule, "lr_schedule must be constant or cosine");
        atLeast("epochs", epochs, 0);
        if (maxSteps < 0) {
            throw new IllegalArgumentException("max_steps must be >= 0, got " + maxSteps);
        }
        if (epochs == 0 && maxSteps == 0) {
            throw new IllegalArgumentException("epochs and max_steps are both 0: set at least one to bound the run");
        }
        atLeast("batch_size", batchSize, 1);
        atLeast("accumulation", accumulation, 1);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning_rate must be finite and > 0, got " + learningRate);
        }
        atLeast("warmup_steps", warmupSteps, 0);
        unitInterval("adam_beta1", adamBeta1, false);
        unitInterval("adam_beta2", adamBeta2, false);
        if (!(adamEpsilon > 0) || !Double.isFinite(adamEpsilon)) {
            throw new IllegalArgumentException("adam_epsilon must be finite and > 0, got " + adamEpsilon);
        }
        nonNegative("weight_decay", weightDecay);
        nonNegative("grad_clip", gradClip);
        unitInterval("ema_decay", emaDecay, false);
        unitInterval("cfg_dropout", cfgDropout, true);
        nonNegative("min_snr_gamma", minSnrGamma);
        if (minSnrGamma > 0 && scheduler.rescaleZeroTerminalSnr()) {
            throw new IllegalArgumentException("min_snr_gamma " + minSnrGamma + " with scheduler.rescale_betas_zero_snr:"
                    + " min-SNR-γ weights a sample by min(SNR, γ)" + (scheduler.predictionType()
                    == PredictionType.V_PREDICTION ? "/(SNR+1)" : "") + ", which is 0 at the zero-SNR terminal step,"
                    + " where a generator decides what is where; turn one of the two off");
        }
        Objects.requireNonNull(timestepSampling, "timestep_sampling must not be null");
        atLeast("save_every", saveEvery, 0);
        atLeast("keep", keep, 1);
        atLeast("val_every", valEvery, 0);
        atLeast("val_batches", valBatches, 1);
        atLeast("max_non_finite", maxNonFinite, 1);
        if (!SPLITS.contains(trainSplit)) {
            throw new IllegalArgumentException("train_split must be one of " + SPLITS + ", got " + trainSplit);
        }
        if (!SPLITS.contains(valSplit)) {
            throw new IllegalArgumentException("val_split must be one of " + SPLITS + ", got " + valSplit);
        }
        if (trainSplit.equals(valSplit)) {
            throw new IllegalArgumentException("val_split must differ from train_split (" + trainSplit
                    + "): validation is on held-out clips");
        }
        atLeast("text_tokens", textTokens, 0);
        Objects.requireNonNull(init, "init must not be null (empty for fresh weights)");
    }

    private static void atLeast(String key, long v, long min) {
        if (v < min) {
            throw new IllegalArgumentException(key + " must be >= " + min + ", got " + v);
        }
    }

    private static void nonNegative(String key, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(key + " must be finite and >= 0, got " + v);
        }
    }

    private static void unitInterval(String key, double v, boolean closed) {
        if (!(v >= 0 && (closed ? v <= 1 : v < 1))) {
            throw new IllegalArgumentException(key + " must be in [0, 1" + (closed ? "]" : ")") + ", got " + v);
        }
    }

    // ---------------------------------------------------------------- defaults and recipes

    /** The micro-batch size a preset trains with unless told otherwise (what fits a CPU step comfortably). */
    public static int defaultBatchSize(String preset) {
        return switch (preset) {
            case "tiny", "demo" -> 8;
            case "small" -> 4;
            case "base" -> 2;
            default -> 1;
        };
    }

    /**
     * The defaults: {@code demo} preset, the seed project's noise schedule, 100 epochs, AdamW at 1e-4 with decay 0.01,
     * clipping at 1.0, EMA 0.9999, 10 % caption dropout, checkpoints at each epoch's end, 3 kept.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig("demo", SchedulerConfig.seed(), 0, 100, 0, defaultBatchSize("demo"), 1, 1e-4,
                LrSchedule.CONSTANT, 0, 0.9, 0.999, 1e-8, 0.01, 1.0, 0.9999, 0.1, 0.0, TimestepSampling.UNIFORM, 0, 3, 0, 8, 1234, 5, "train",
                "validate", 0, "");
    }

    /** Recipe names for {@link #recipe(String)}. */
    public static List<String> recipeNames() {
        return List.of("seed");
    }

    /**
     * A named recipe as a config layer. {@code seed}: the seed project's run — 100 epochs, batch 1 with 8 accumulated
     * micro-batches, constant lr 1e-4, AdamW decay 0.01, clipping at 1.0, a checkpoint every epoch, scaled-linear
     * 1000-step schedule ({@link SchedulerConfig#seed()}).
     */
    public static ObjectNode recipe(String name) {
        if (!"seed".equals(name)) {
            throw new IllegalArgumentException("unknown recipe '" + name + "'; known: " + recipeNames());
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("epochs", 100);
        n.put("max_steps", 0);
        n.put("batch_size", 1);
        n.put("accumulation", 8);
        n.put("learning_rate", 1e-4);
        n.put("lr_schedule", "constant");
        n.put("warmup_steps", 0);
        n.put("weight_decay", 0.01);
        n.put("grad_clip", 1.0);
        n.put("save_every", 0);
        n.set("scheduler", readTree(SchedulerConfig.seed().toJson()));
        return n;
    }

    // ---------------------------------------------------------------- JSON

    /** Pretty-printed JSON, keys in declaration order. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(toTree());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise training config", e);
        }
    }

    /** This config as a JSON object (a complete layer for {@link #resolve}). */
    public ObjectNode toTree() {
        ObjectNode n = JSON.createObjectNode();
        n.put("preset", preset);
        n.set("scheduler", readTree(scheduler.toJson()));
        n.put("seed", seed);
        n.put("epochs", epochs);
        n.put("max_steps", maxSteps);
        n.put("batch_size", batchSize);
        n.put("accumulation", accumulation);
        n.put("learning_rate", learningRate);
        n.put("lr_schedule", lrSchedule.label());
        n.put("warmup_steps", warmupSteps);
        n.put("adam_beta1", adamBeta1);
        n.put("adam_beta2", adamBeta2);
        n.put("adam_epsilon", adamEpsilon);
        n.put("weight_decay", weightDecay);
        n.put("grad_clip", gradClip);
        n.put("ema_decay", emaDecay);
        n.put("cfg_dropout", cfgDropout);
        n.put("min_snr_gamma", minSnrGamma);
        n.put("timestep_sampling", timestepSampling.label());
        n.put("save_every", saveEvery);
        n.put("keep", keep);
        n.put("val_every", valEvery);
        n.put("val_batches", valBatches);
        n.put("val_seed", valSeed);
        n.put("max_non_finite", maxNonFinite);
        n.put("train_split", trainSplit);
        n.put("val_split", valSplit);
        n.put("text_tokens", textTokens);
        n.put("init", init);
        return n;
    }

    /** Parses a JSON object; missing keys take the {@link #defaults()} (batch size: the preset's default). */
    public static TrainingConfig fromJson(String json) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("training config: not valid JSON: " + e.getOriginalMessage(), e);
        }
        return resolve(List.of(node));
    }

    /**
     * Merges config layers in order (a later layer's keys win; {@code scheduler} objects merge key by key) onto the
     * defaults and builds the config. The batch size defaults to the resolved preset's
     * {@link #defaultBatchSize(String)}.
     *
     * @throws IllegalArgumentException naming the key for an unknown key, a wrong type or an invalid value
     */
    public static TrainingConfig resolve(List<? extends JsonNode> layers) {
        ObjectNode merged = defaults().toTree();
        merged.remove("batch_size");
        ObjectNode scheduler = (ObjectNode) merged.remove("scheduler");
        Set<String> known = defaults().toTree().properties().stream().map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toSet());
        for (JsonNode layer : layers) {
            if (layer == null || layer.isNull()) {
                continue;
            }
            if (!layer.isObject()) {
                throw new IllegalArgumentException("training config: expected a JSON object, got " + layer);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = layer.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (!known.contains(key)) {
                    throw new IllegalArgumentException("training config: unknown key '" + key + "'; known keys: "
                            + new java.util.TreeSet<>(known));
                }
                if (key.equals("scheduler")) {
                    if (!e.getValue().isObject()) {
                        throw new IllegalArgumentException("training config: scheduler must be an object");
                    }
                    scheduler.setAll((ObjectNode) e.getValue());
                } else {
                    merged.set(key, e.getValue());
                }
            }
        }
        SchedulerConfig sched = SchedulerConfig.fromJson(scheduler.toString());
        String preset = text(merged, "preset");
        int batch = merged.has("batch_size") ? integer(merged, "batch_size")
                : defaultBatchSize(DenoiserConfig.presetNames().contains(preset) ? preset : "demo");
        LrSchedule schedule;
        try {
            schedule = LrSchedule.parse(text(merged, "lr_schedule"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training config: " + e.getMessage(), e);
        }
        TimestepSampling sampling;
        try {
            sampling = TimestepSampling.parse(text(merged, "timestep_sampling"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("training config: " + e.getMessage(), e);
        }
        return new TrainingConfig(preset, sched, longValue(merged, "seed"), integer(merged, "epochs"),
                longValue(merged, "max_steps"), batch, integer(merged, "accumulation"),
                number(merged, "learning_rate"), schedule, integer(merged, "warmup_steps"),
                number(merged, "adam_beta1"), number(merged, "adam_beta2"), number(merged, "adam_epsilon"),
                number(merged, "weight_decay"), number(merged, "grad_clip"), number(merged, "ema_decay"),
                number(merged, "cfg_dropout"), number(merged, "min_snr_gamma"), sampling, integer(merged, "save_every"),
                integer(merged, "keep"), integer(merged, "val_every"), integer(merged, "val_batches"),
                longValue(merged, "val_seed"), integer(merged, "max_non_finite"), text(merged, "train_split"),
                text(merged, "val_split"), integer(merged, "text_tokens"), text(merged, "init"));
    }

    /**
     * The keys whose values differ between this config and {@code other}, excluding {@link #RESUMABLE_CHANGES}: a
     * resumed run must not change them, or it would not continue the same computation.
     */
    public List<String> resumeConflicts(TrainingConfig other) {
        ObjectNode a = toTree();
        ObjectNode b = other.toTree();
        List<String> out = new ArrayList<>();
        a.fieldNames().forEachRemaining(k -> {
            if (!RESUMABLE_CHANGES.contains(k) && !a.get(k).equals(b.get(k))) {
                out.add(k + " (checkpoint " + b.get(k) + ", now " + a.get(k) + ")");
            }
        });
        return out;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("training config: " + key + " must be a string, got " + v);
        }
        return v.textValue();
    }

    private static int integer(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException("training config: " + key + " must be an integer, got " + v);
        }
        return v.intValue();
    }

    private static long longValue(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("training config: " + key + " must be an integer, got " + v);
        }
        return v.longValue();
    }

    private static double number(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("training config: " + key + " must be a number, got " + v);
        }
        return v.doubleValue();
    }

    // ---------------------------------------------------------------- derived

    /** Clips per optimiser step: {@code batchSize × accumulation}. */
    public int effectiveBatchSize() {
        return batchSize * accumulation;
    }

    /** Optimiser steps in one epoch of {@code batchesPerEpoch} micro-batches (the last step may take fewer). */
    public long stepsPerEpoch(int batchesPerEpoch) {
        return (batchesPerEpoch + accumulation - 1) / accumulation;
    }

    /** The run's planned optimiser steps: the smaller of the epoch budget and {@code maxSteps} (0 = unlimited). */
    public long totalSteps(int batchesPerEpoch) {
        long byEpochs = epochs == 0 ? Long.MAX_VALUE : epochs * stepsPerEpoch(batchesPerEpoch);
        return maxSteps == 0 ? byEpochs : Math.min(byEpochs, maxSteps);
    }
}
