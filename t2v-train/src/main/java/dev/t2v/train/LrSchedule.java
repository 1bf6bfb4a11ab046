package dev.t2v.train;

import java.util.Locale;

/**
 * The learning rate after warm-up: {@link #CONSTANT}, or {@link #COSINE} decay to zero at the last step (as
 * diffusers' {@code get_cosine_schedule_with_warmup} with half a cycle). Warm-up is linear in both:
 * {@code lr · (step + 1) / warmup} for the first {@code warmup} steps.
 */
public enum LrSchedule {
    CONSTANT, COSINE;

    /**
     * The learning rate for optimiser step {@code step} (0-based).
     *
     * @param base the peak learning rate
     * @param warmup linear warm-up steps (0 for none)
     * @param totalSteps the run's planned steps (the cosine horizon)
     */
    public double at(long step, double base, long warmup, long totalSteps) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (step < warmup) {
            return base * (step + 1) / warmup;
        }
        return switch (this) {
            case CONSTANT -> base;
            case COSINE -> {
                long span = Math.max(1, totalSteps - warmup);
                double progress = Math.min(1.0, (double) (step - warmup) / span);
                yield base * 0.5 * (1 + Math.cos(Math.PI * progress));
            }
        };
    }

    /** The lower-case name used in JSON and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code constant} or {@code cosine} (any case). */
    public static LrSchedule parse(String s) {
        for (LrSchedule v : values()) {
            if (v.label().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("lr_schedule must be constant or cosine, got '" + s + "'");
    }
}
