package dev.t2v.train;

import java.util.SplittableRandom;

/**
 * Every random draw of training, derived from counters rather than from a generator that advances: a sample's
 * timestep, noise and caption dropout come from {@code (seed, optimiser step, sample index within the step)}, and a
 * validation batch's from {@code (validation seed, batch index)}. Nothing stateful needs saving for an exact resume,
 * and because the index counts samples across the step's micro-batches, {@code N} accumulated micro-batches of one
 * clip draw exactly what one batch of {@code N} clips draws.
 */
public final class TrainingRandom {
    private static final long TRAIN_SALT = 0x7472_6169_6E5F_7631L;
    private static final long VALIDATION_SALT = 0x7661_6C69_645F_7631L;

    private TrainingRandom() {
    }

    /**
     * The generator of sample {@code sample} (0-based over all micro-batches) of optimiser step {@code step}. Split it
     * in a fixed order (timestep, noise, dropout) so the draws do not depend on each other's counts.
     */
    public static SplittableRandom forSample(long seed, long step, int sample) {
        return new SplittableRandom(mix(mix(mix(seed ^ TRAIN_SALT) + step) + sample));
    }

    /** The generator of validation batch {@code batch}: the same for every run with the same validation seed. */
    public static SplittableRandom forValidation(long valSeed, int batch) {
        return new SplittableRandom(mix(mix(valSeed ^ VALIDATION_SALT) + batch));
    }

    /** SplitMix64's finaliser: neighbouring counters give unrelated seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
