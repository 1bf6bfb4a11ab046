package dev.t2v.train;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What a training run did.
 *
 * @param steps optimiser steps taken in all (resumed ones included)
 * @param stepsThisRun optimiser steps taken by this invocation
 * @param epochs epochs completed
 * @param seconds wall time of this invocation
 * @param samplesPerSecond training samples per second of step time in this invocation (validation and checkpoint
 *     writing excluded)
 * @param peakRssBytes peak resident memory of the process (VmHWM), -1 where unknown
 * @param finalLoss the smoothed training loss at the end
 * @param bestValLoss the best checkpoint's validation loss (EMA weights), {@code null} without validation
 * @param skipped steps skipped for non-finite values, in all
 * @param model the final model bundle
 */
public record TrainingResult(long steps, long stepsThisRun, long epochs, double seconds, double samplesPerSecond,
        long peakRssBytes, double finalLoss, Double bestValLoss, long skipped, Path model) {

    /** A few lines for the user. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "trained %d steps (%d this run, %d epochs done) in %s%n", steps,
                stepsThisRun, epochs, duration(seconds)));
        sb.append(String.format(Locale.ROOT, "throughput %.2f samples/s, peak memory %s%n", samplesPerSecond,
                peakRssBytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MB RSS", peakRssBytes / 1e6)));
        sb.append(String.format(Locale.ROOT, "final loss %.5f%s, skipped steps %d%n", finalLoss,
                bestValLoss == null ? "" : String.format(Locale.ROOT, ", best validation loss %.5f", bestValLoss),
                skipped));
        sb.append("model: ").append(model);
        return sb.toString();
    }

    private static String duration(double s) {
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60)
                : String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }
}
