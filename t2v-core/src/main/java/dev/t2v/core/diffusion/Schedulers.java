package dev.t2v.core.diffusion;

import dev.t2v.core.config.SchedulerConfig;

import java.util.List;
import java.util.Locale;

/** Builds a scheduler by name, so that callers never branch on the scheduler type. */
public final class Schedulers {
    private static final List<String> NAMES = List.of("ddpm", "ddim", "dpmpp");

    private Schedulers() {
    }

    /** The accepted sampler names: {@code ddpm}, {@code ddim}, {@code dpmpp}. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * A fresh scheduler.
     *
     * @param sampler {@code ddpm}, {@code ddim} or {@code dpmpp} (case-insensitive)
     * @param config  the noise schedule the model was trained with
     * @param eta     DDIM's stochasticity in [0, 1] (0 = deterministic); ddpm is always fully stochastic and dpmpp
     *                deterministic, so they ignore it
     * @param seed    seeds the scheduler's noise; the same arguments give the same samples bit for bit
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or a bad eta
     */
    public static Scheduler create(String sampler, SchedulerConfig config, double eta, long seed) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        String name = sampler == null ? "" : sampler.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "ddpm" -> new DdpmScheduler(config, seed);
            case "ddim" -> new DdimScheduler(config, eta, seed);
            case "dpmpp" -> new DpmSolverMultistepScheduler(config);
            default -> throw new IllegalArgumentException("unknown sampler '" + sampler + "'; expected one of "
                    + String.join(", ", NAMES));
        };
    }
}
