package dev.t2v.core.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.core.diffusion.BetaSchedule;
import dev.t2v.core.diffusion.PredictionType;
import dev.t2v.core.diffusion.TimestepSpacing;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The noise schedule and sampling conventions a denoiser was trained with, shared by every scheduler: any
 * scheduler can be built from any other's config. JSON uses the snake_case names of diffusers'
 * {@code scheduler_config.json}; keys this record does not know (e.g. {@code _class_name}) are ignored and missing
 * keys take the {@link #defaults()} values.
 *
 * @param numTrainTimesteps      number of diffusion steps N in training ({@code num_train_timesteps}), at least 2
 * @param betaStart              first β ({@code beta_start}), in (0, 1); unused by the cosine schedule
 * @param betaEnd                last β ({@code beta_end}), in [betaStart, 1); unused by the cosine schedule
 * @param betaSchedule           how the betas are laid out ({@code beta_schedule})
 * @param predictionType         what the denoiser predicts ({@code prediction_type})
 * @param timestepSpacing        how inference timesteps are chosen ({@code timestep_spacing})
 * @param stepsOffset            added to leading-spaced timesteps ({@code steps_offset}), in [0, N)
 * @param rescaleZeroTerminalSnr rescale the betas to zero terminal SNR ({@code rescale_betas_zero_snr}); needs
 *                               v or sample prediction, because ε-prediction is undefined at zero SNR
 * @param clipSample             clamp predicted x₀ into ±clipSampleRange in DDPM/DDIM ({@code clip_sample})
 * @param clipSampleRange        the clamp bound ({@code clip_sample_range}), positive
 * @param setAlphaToOne          DDIM's ᾱ past the last step: 1 if true, else ᾱ₀ ({@code set_alpha_to_one})
 * @param snrShift               divides every step's signal-to-noise ratio by snrShift² before any zero-terminal-SNR
 *                               rescale ({@code snr_shift}, positive; 1 = off). The same shift as SD3's timestep
 *                               shift and "simple diffusion"'s log-SNR shift: it moves the noise levels where a
 *                               sparse or high-resolution latent's content is decided into the trained range.
 *                               Scaling the latents by 1/k is the same forward process as a shift of k.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"num_train_timesteps", "beta_start", "beta_end", "beta_schedule", "prediction_type",
        "timestep_spacing", "steps_offset", "rescale_betas_zero_snr", "clip_sample", "clip_sample_range",
        "set_alpha_to_one", "snr_shift"})
public record SchedulerConfig(
        @JsonProperty("num_train_timesteps") int numTrainTimesteps,
        @JsonProperty("beta_start") double betaStart,
        @JsonProperty("beta_end") double betaEnd,
        @JsonProperty("beta_schedule") BetaSchedule betaSchedule,
        @JsonProperty("prediction_type") PredictionType predictionType,
        @JsonProperty("timestep_spacing") TimestepSpacing timestepSpacing,
        @JsonProperty("steps_offset") int stepsOffset,
        @JsonProperty("rescale_betas_zero_snr") boolean rescaleZeroTerminalSnr,
        @JsonProperty("clip_sample") boolean clipSample,
        @JsonProperty("clip_sample_range") double clipSampleRange,
        @JsonProperty("set_alpha_to_one") boolean setAlphaToOne,
        @JsonProperty("snr_shift") double snrShift) {

    // Strict numbers: 1000.5 steps is an error, not 1000.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    public SchedulerConfig {
        if (numTrainTimesteps < 2) {
            throw new IllegalArgumentException("num_train_timesteps must be >= 2, got " + numTrainTimesteps);
        }
        if (!(betaStart > 0 && betaStart < 1)) {
            throw new IllegalArgumentException("beta_start must be in (0, 1), got " + betaStart);
        }
        if (!(betaEnd >= betaStart && betaEnd < 1)) {
            throw new IllegalArgumentException("beta_end must be in [beta_start, 1) = [" + betaStart + ", 1), got " + betaEnd);
        }
        Objects.requireNonNull(betaSchedule, "beta_schedule must not be null");
        Objects.requireNonNull(predictionType, "prediction_type must not be null");
        Objects.requireNonNull(timestepSpacing, "timestep_spacing must not be null");
        if (stepsOffset < 0 || stepsOffset >= numTrainTimesteps) {
            throw new IllegalArgumentException("steps_offset must be in [0, " + numTrainTimesteps + "), got " + stepsOffset);
        }
        if (!(clipSampleRange > 0 && Double.isFinite(clipSampleRange))) {
            throw new IllegalArgumentException("clip_sample_range must be positive and finite, got " + clipSampleRange);
        }
        if (!(snrShift > 0 && Double.isFinite(snrShift))) {
            throw new IllegalArgumentException("snr_shift must be positive and finite, got " + snrShift);
        }
        if (rescaleZeroTerminalSnr && predictionType == PredictionType.EPSILON) {
            throw new IllegalArgumentException("rescale_betas_zero_snr needs prediction_type v_prediction or sample:"
                    + " at zero terminal SNR an epsilon prediction carries no information about x0 (Lin et al. 2023)");
        }
    }

    /** Stable Diffusion's schedule, which the seed project used: scaled_linear β 0.00085→0.012 over 1000 steps,
     *  ε-prediction, leading spacing with steps_offset 1, no clipping, set_alpha_to_one false. */
    public static SchedulerConfig seed() {
        return new SchedulerConfig(1000, 0.00085, 0.012, BetaSchedule.SCALED_LINEAR, PredictionType.EPSILON,
                TimestepSpacing.LEADING, 1, false, false, 1.0, false, 1.0);
    }

    /**
     * diffusers' DDPM/DDIM constructor defaults (linear β 1e-4→0.02 over 1000 steps, ε-prediction, leading
     * spacing, offset 0, set_alpha_to_one true), except that x₀ is not clipped: clipping to ±1 suits pixel-space
     * models, not latents. Keys missing from a JSON config take these values.
     */
    public static SchedulerConfig defaults() {
        return new SchedulerConfig(1000, 0.0001, 0.02, BetaSchedule.LINEAR, PredictionType.EPSILON,
                TimestepSpacing.LEADING, 0, false, false, 1.0, true, 1.0);
    }

    public SchedulerConfig withBetaSchedule(BetaSchedule schedule, double start, double end) {
        return new SchedulerConfig(numTrainTimesteps, start, end, schedule, predictionType, timestepSpacing,
                stepsOffset, rescaleZeroTerminalSnr, clipSample, clipSampleRange, setAlphaToOne, snrShift);
    }

    public SchedulerConfig withPredictionType(PredictionType type) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, type, timestepSpacing,
                stepsOffset, rescaleZeroTerminalSnr, clipSample, clipSampleRange, setAlphaToOne, snrShift);
    }

    public SchedulerConfig withTimestepSpacing(TimestepSpacing spacing, int offset) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, predictionType, spacing,
                offset, rescaleZeroTerminalSnr, clipSample, clipSampleRange, setAlphaToOne, snrShift);
    }

    public SchedulerConfig withRescaleZeroTerminalSnr(boolean rescale) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, predictionType,
                timestepSpacing, stepsOffset, rescale, clipSample, clipSampleRange, setAlphaToOne, snrShift);
    }

    public SchedulerConfig withClipSample(boolean clip, double range) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, predictionType,
                timestepSpacing, stepsOffset, rescaleZeroTerminalSnr, clip, range, setAlphaToOne, snrShift);
    }

    public SchedulerConfig withSetAlphaToOne(boolean alphaToOne) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, predictionType,
                timestepSpacing, stepsOffset, rescaleZeroTerminalSnr, clipSample, clipSampleRange, alphaToOne, snrShift);
    }

    public SchedulerConfig withSnrShift(double shift) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, predictionType,
                timestepSpacing, stepsOffset, rescaleZeroTerminalSnr, clipSample, clipSampleRange, setAlphaToOne, shift);
    }

    public SchedulerConfig withNumTrainTimesteps(int n) {
        return new SchedulerConfig(n, betaStart, betaEnd, betaSchedule, predictionType, timestepSpacing,
                stepsOffset, rescaleZeroTerminalSnr, clipSample, clipSampleRange, setAlphaToOne, snrShift);
    }

    /** This config as a diffusers-style scheduler_config.json object (pretty-printed, fixed key order). */
    public String toJson() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise scheduler config", e);
        }
    }

    /**
     * Reads a diffusers-style scheduler_config.json object. Unknown keys are ignored, missing or null keys take the
     * {@link #defaults()} values; a non-null {@code trained_betas} is rejected because explicit betas are not
     * supported.
     *
     * @throws IllegalArgumentException naming the offending key when the JSON or a value is invalid
     */
    public static SchedulerConfig fromJson(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("scheduler config: not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("scheduler config: expected a JSON object");
        }
        JsonNode trained = node.get("trained_betas");
        if (trained != null && !trained.isNull()) {
            throw new IllegalArgumentException("scheduler config: trained_betas is not supported; use beta_schedule");
        }
        ObjectNode merged = MAPPER.valueToTree(defaults());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (merged.has(e.getKey()) && !e.getValue().isNull()) {
                merged.set(e.getKey(), e.getValue());
            }
        }
        try {
            return MAPPER.treeToValue(merged, SchedulerConfig.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            String message = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
            if (!(cause instanceof IllegalArgumentException) && e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
                message = m.getPath().get(m.getPath().size() - 1).getFieldName() + ": " + message;
            }
            throw new IllegalArgumentException("scheduler config: " + message, e);
        }
    }
}
