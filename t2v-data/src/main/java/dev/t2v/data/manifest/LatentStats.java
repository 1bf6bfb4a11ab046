package dev.t2v.data.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The mean and std of a dataset's scaled latents over its first {@code clips} clips: near 0 and 1 when the scaling
 * factor fits the codec, as the noise schedule expects.
 */
public record LatentStats(
        @JsonProperty(value = "mean", required = true) double mean,
        @JsonProperty(value = "std", required = true) double std,
        @JsonProperty(value = "clips", required = true) int clips) {
    public LatentStats {
        if (!Double.isFinite(mean) || !(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("latent mean and std must be finite and std >= 0, got " + mean + ", "
                    + std);
        }
        if (clips < 1) {
            throw new IllegalArgumentException("latent statistics need at least one clip, got " + clips);
        }
    }

    /** The statistics of running sums over {@code count} values of {@code clips} clips. */
    public static LatentStats of(double sum, double sumOfSquares, long count, int clips) {
        if (count < 1) {
            throw new IllegalArgumentException("no latent values to measure");
        }
        double mean = sum / count;
        return new LatentStats(mean, Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean)), clips);
    }

    /** "mean 0.0123, std 0.987 (over 16 clips)". */
    public String describe() {
        return String.format(Locale.ROOT, "mean %.4g, std %.4g (over %d clips)", mean, std, clips);
    }
}
