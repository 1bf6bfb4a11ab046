package dev.t2v.train.codec;

/**
 * How the codec trains: Adam on the mean squared error of random {@code crop x crop} windows, plus a light latent
 * regulariser so the latent space suits diffusion.
 *
 * <p>The regulariser is a fixed-variance VAE in miniature: the decoder reads {@code z + latentNoise * eps} (eps
 * standard normal), which makes nearby latents decode to nearby frames, and {@code latentPenalty * mean(z^2)} keeps the
 * encoder from simply scaling its latents up until the noise no longer matters.
 *
 * @param steps optimiser steps
 * @param batch crops per step
 * @param crop crop side in pixels, a multiple of the codec's downsampling factor
 * @param learningRate peak Adam learning rate; it warms up linearly over the first {@code warmupSteps} steps and then
 *     follows a cosine down to {@code finalLrFraction} of the peak
 * @param warmupSteps linear warm-up steps
 * @param finalLrFraction the last step's learning rate over the peak
 * @param seed seeds initial weights, crop positions and latent noise
 * @param latentNoise standard deviation of the noise added to the latents during training (0 for none)
 * @param latentPenalty weight of {@code mean(z^2)} in the loss (0 for none)
 */
public record CodecTrainingConfig(int steps, int batch, int crop, double learningRate, int warmupSteps,
        double finalLrFraction, long seed, double latentNoise, double latentPenalty) {
    public CodecTrainingConfig {
        if (steps < 1 || steps > 10_000_000) {
            throw new IllegalArgumentException("steps must be in [1, 10000000], got " + steps);
        }
        if (batch < 1 || batch > 4096) {
            throw new IllegalArgumentException("batch must be in [1, 4096], got " + batch);
        }
        if (crop < 8 || crop > 4096) {
            throw new IllegalArgumentException("crop must be in [8, 4096], got " + crop);
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        if (!(finalLrFraction >= 0 && finalLrFraction <= 1)) {
            throw new IllegalArgumentException("finalLrFraction must be in [0, 1], got " + finalLrFraction);
        }
        if (!(latentNoise >= 0 && latentNoise <= 10)) {
            throw new IllegalArgumentException("latentNoise must be in [0, 10], got " + latentNoise);
        }
        if (!(latentPenalty >= 0 && latentPenalty <= 10)) {
            throw new IllegalArgumentException("latentPenalty must be in [0, 10], got " + latentPenalty);
        }
    }

    public static final int DEFAULT_STEPS = 1500;
    public static final int DEFAULT_BATCH = 16;
    public static final int DEFAULT_CROP = 64;
    public static final double DEFAULT_LEARNING_RATE = 2e-3;
    public static final double DEFAULT_LATENT_NOISE = 0.05;
    public static final double DEFAULT_LATENT_PENALTY = 1e-4;
    public static final double DEFAULT_FINAL_LR_FRACTION = 0.05;

    /** The demo codec's recipe with {@code steps} steps (warm-up: the first 5 %). */
    public static CodecTrainingConfig defaults(int steps) {
        return new CodecTrainingConfig(steps, DEFAULT_BATCH, DEFAULT_CROP, DEFAULT_LEARNING_RATE, steps / 20,
                DEFAULT_FINAL_LR_FRACTION, 0, DEFAULT_LATENT_NOISE, DEFAULT_LATENT_PENALTY);
    }

    public CodecTrainingConfig withBatch(int b) {
        return new CodecTrainingConfig(steps, b, crop, learningRate, warmupSteps, finalLrFraction, seed, latentNoise,
                latentPenalty);
    }

    public CodecTrainingConfig withCrop(int c) {
        return new CodecTrainingConfig(steps, batch, c, learningRate, warmupSteps, finalLrFraction, seed, latentNoise,
                latentPenalty);
    }

    public CodecTrainingConfig withLearningRate(double lr) {
        return new CodecTrainingConfig(steps, batch, crop, lr, warmupSteps, finalLrFraction, seed, latentNoise,
                latentPenalty);
    }

    public CodecTrainingConfig withSeed(long s) {
        return new CodecTrainingConfig(steps, batch, crop, learningRate, warmupSteps, finalLrFraction, s, latentNoise,
                latentPenalty);
    }

    public CodecTrainingConfig withRegulariser(double noise, double penalty) {
        return new CodecTrainingConfig(steps, batch, crop, learningRate, warmupSteps, finalLrFraction, seed, noise,
                penalty);
    }

    /**
     * The seed for the initial weights ({@code CodecModel.create(arch, cfg.initSeed())}): the first stream split from
     * {@code seed}; the trainer's crop and noise streams are the next two, so no two uses share a stream.
     */
    public long initSeed() {
        return new java.util.SplittableRandom(seed).split().nextLong();
    }

    /** The learning rate at 0-based step {@code step}. */
    public double learningRateAt(int step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / warmupSteps;
        }
        int decay = Math.max(1, steps - warmupSteps - 1);
        double progress = Math.min(1.0, (step - warmupSteps) / (double) decay);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
        return learningRate * (finalLrFraction + (1 - finalLrFraction) * cosine);
    }
}
