package dev.t2v.core.diffusion;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What the denoiser predicts, named as diffusers' {@code prediction_type}. */
public enum PredictionType {
    /** The added noise ε (Ho et al. 2020). */
    EPSILON("epsilon"),
    /** The velocity v = √ᾱ·ε − √(1−ᾱ)·x₀ (Salimans &amp; Ho 2022). */
    V_PREDICTION("v_prediction"),
    /** The clean sample x₀. */
    SAMPLE("sample");

    private final String id;

    PredictionType(String id) {
        this.id = id;
    }

    /** The diffusers name, e.g. {@code v_prediction}. */
    @JsonValue
    public String id() {
        return id;
    }

    /** Parses a diffusers name (case-insensitive); the message lists the accepted names. */
    @JsonCreator
    public static PredictionType fromId(String id) {
        for (PredictionType p : values()) {
            if (p.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("prediction_type: expected one of "
                + Arrays.stream(values()).map(PredictionType::id).collect(Collectors.joining(", ")) + ", got " + id);
    }

    /**
     * The clean-sample estimate x₀ from a model output at a step where x_t = α·x₀ + σ·ε (α = √ᾱ_t, σ = √(1−ᾱ_t)).
     * Returns a new array, or {@code modelOutput} itself for {@link #SAMPLE}.
     */
    public INDArray originalSample(INDArray modelOutput, INDArray sample, double alpha, double sigma) {
        return switch (this) {
            case EPSILON -> Tensors.combination(sample, 1 / alpha, modelOutput, -sigma / alpha);
            case V_PREDICTION -> Tensors.combination(sample, alpha, modelOutput, -sigma);
            case SAMPLE -> modelOutput;
        };
    }

    /**
     * The noise estimate ε from a model output at a step where x_t = α·x₀ + σ·ε. Returns a new array, or
     * {@code modelOutput} itself for {@link #EPSILON}.
     */
    public INDArray epsilon(INDArray modelOutput, INDArray sample, double alpha, double sigma) {
        return switch (this) {
            case EPSILON -> modelOutput;
            case V_PREDICTION -> Tensors.combination(modelOutput, alpha, sample, sigma);
            case SAMPLE -> Tensors.combination(sample, 1 / sigma, modelOutput, -alpha / sigma);
        };
    }
}
