package dev.t2v.core.model;

import java.util.Locale;

/** The floating type an exported denoiser computes in. Inputs and output are FLOAT either way. */
public enum OnnxPrecision {
    /** FLOAT throughout: matches SameDiff to float round-off. */
    FP32,
    /**
     * FLOAT16 weights and activations (for GPUs): the graph casts its inputs down and its output up; the timestep
     * and position embeddings are computed in FLOAT first. Parity with FP32 is about 1e-2 relative.
     */
    FP16;

    /** The lower-case name used on the command line and in cache file names. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code fp32} or {@code fp16} (case-insensitive). */
    public static OnnxPrecision parse(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        for (OnnxPrecision p : values()) {
            if (p.name().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "'; expected fp32 or fp16");
    }
}
