package dev.t2v.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A checkpoint's {@code trainer-state.json}: the counters that, with the weights, moments and EMA, make a resumed run
 * continue bit for bit. Every random draw is derived from {@code (seed, step, sample)} and the data from
 * {@code (seed, epoch, position)}, so no generator state is stored. {@code "complete": true} is written last: a
 * checkpoint without it is ignored.
 *
 * @param step optimiser steps taken (skipped ones included)
 * @param updates optimiser updates applied (Adam's bias-correction count and the EMA's update count)
 * @param epoch the data cursor's epoch
 * @param position the data cursor's next micro-batch within the epoch
 * @param seed the run's seed
 * @param lr the learning rate of the last step
 * @param skipped steps skipped for a non-finite loss or gradient, in all
 * @param nonFiniteInARow the current run of skipped steps
 * @param smoothedLoss the progress bar's running loss average (NaN before the first finite step)
 * @param valLoss validation loss of the raw weights at this checkpoint, {@code null} without validation
 * @param valLossEma validation loss of the EMA weights at this checkpoint, {@code null} without validation
 * @param samplesSeen training samples processed
 * @param elapsedSeconds wall time spent training, across resumes
 * @param history one point per validation: (step, smoothed train loss, val loss, EMA val loss)
 * @param trainingConfigJson the run's resolved {@link TrainingConfig} as JSON
 */
public record TrainerState(long step, long updates, long epoch, int position, long seed, double lr, long skipped,
        int nonFiniteInARow, double smoothedLoss, Double valLoss, Double valLossEma, long samplesSeen,
        double elapsedSeconds, List<HistoryPoint> history, String trainingConfigJson) {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One validation point of the loss history. */
    public record HistoryPoint(long step, double loss, Double valLoss, Double valLossEma) {
    }

    public TrainerState {
        if (step < 0 || updates < 0 || updates > step || epoch < 0 || position < 0 || skipped < 0
                || nonFiniteInARow < 0 || samplesSeen < 0) {
            throw new IllegalArgumentException("inconsistent trainer state: step " + step + ", updates " + updates
                    + ", epoch " + epoch + ", position " + position + ", skipped " + skipped);
        }
        history = List.copyOf(history);
        Objects.requireNonNull(trainingConfigJson, "training config");
    }

    /** The validation loss a checkpoint is ranked by: the EMA weights' (what the bundle ships), else the raw one's. */
    public Double rankingLoss() {
        return valLossEma != null ? valLossEma : valLoss;
    }

    public TrainingConfig trainingConfig() {
        return TrainingConfig.fromJson(trainingConfigJson);
    }

    byte[] toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("format_version", FORMAT_VERSION);
        n.put("step", step);
        n.put("updates", updates);
        ObjectNode cursor = n.putObject("cursor");
        cursor.put("epoch", epoch);
        cursor.put("position", position);
        n.put("seed", seed);
        n.put("lr", lr);
        n.put("ema_updates", updates);
        n.put("skipped", skipped);
        n.put("non_finite_in_a_row", nonFiniteInARow);
        putDouble(n, "smoothed_loss", Double.isFinite(smoothedLoss) ? smoothedLoss : null);
        putDouble(n, "val_loss", valLoss);
        putDouble(n, "val_loss_ema", valLossEma);
        n.put("samples_seen", samplesSeen);
        n.put("elapsed_seconds", elapsedSeconds);
        ArrayNode h = n.putArray("loss_history");
        for (HistoryPoint p : history) {
            ObjectNode o = h.addObject();
            o.put("step", p.step());
            putDouble(o, "loss", Double.isFinite(p.loss()) ? p.loss() : null);
            putDouble(o, "val_loss", p.valLoss());
            putDouble(o, "val_loss_ema", p.valLossEma());
        }
        try {
            n.set("training_config", JSON.readTree(trainingConfigJson));
            n.put("complete", true);
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise trainer state", e);
        }
    }

    private static void putDouble(ObjectNode n, String key, Double v) {
        if (v == null) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    /**
     * Reads a trainer-state.json.
     *
     * @throws IOException naming the file when it is unreadable, malformed or not marked complete
     */
    public static TrainerState read(Path file) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": invalid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IOException(file + ": expected a JSON object");
        }
        if (!n.path("complete").asBoolean(false)) {
            throw new IOException(file + ": not marked complete");
        }
        if (n.path("format_version").asInt(-1) != FORMAT_VERSION) {
            throw new IOException(file + ": format_version must be " + FORMAT_VERSION + ", got " + n.get("format_version"));
        }
        try {
            List<HistoryPoint> history = new ArrayList<>();
            for (JsonNode p : req(n, "loss_history", file)) {
                history.add(new HistoryPoint(req(p, "step", file).asLong(), optDouble(p, "loss", Double.NaN),
                        optDouble(p, "val_loss"), optDouble(p, "val_loss_ema")));
            }
            JsonNode cursor = req(n, "cursor", file);
            return new TrainerState(req(n, "step", file).asLong(), req(n, "updates", file).asLong(),
                    req(cursor, "epoch", file).asLong(), req(cursor, "position", file).asInt(),
                    req(n, "seed", file).asLong(), req(n, "lr", file).asDouble(), req(n, "skipped", file).asLong(),
                    req(n, "non_finite_in_a_row", file).asInt(), optDouble(n, "smoothed_loss", Double.NaN),
                    optDouble(n, "val_loss"), optDouble(n, "val_loss_ema"), req(n, "samples_seen", file).asLong(),
                    req(n, "elapsed_seconds", file).asDouble(), history, req(n, "training_config", file).toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode req(JsonNode n, String key, Path file) throws IOException {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new IOException(file + ": missing '" + key + "'");
        }
        return v;
    }

    private static Double optDouble(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    private static double optDouble(JsonNode n, String key, double dflt) {
        Double v = optDouble(n, key);
        return v == null ? dflt : v;
    }
}
