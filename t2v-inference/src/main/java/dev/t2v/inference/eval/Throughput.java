package dev.t2v.inference.eval;

import java.util.Locale;

/**
 * Generation speed over a run of videos.
 *
 * @param videos         videos generated
 * @param steps          denoising steps over all videos
 * @param frames         frames generated over all videos
 * @param denoiseSeconds wall time spent in the denoising loops
 * @param totalSeconds   wall time from the first encode to the last decode, summed over videos
 * @param peakRssBytes   the process's peak resident set size, or -1 when unknown
 */
public record Throughput(int videos, int steps, long frames, double denoiseSeconds, double totalSeconds,
                         long peakRssBytes) {
    public Throughput {
        if (videos < 0 || steps < 0 || frames < 0 || !(denoiseSeconds >= 0) || !(totalSeconds >= 0)) {
            throw new IllegalArgumentException("throughput counts and times must be >= 0");
        }
    }

    /** Seconds per denoising step (NaN before any step). */
    public double secondsPerStep() {
        return steps == 0 ? Double.NaN : denoiseSeconds / steps;
    }

    /** Seconds per video, end to end (NaN before any video). */
    public double secondsPerVideo() {
        return videos == 0 ? Double.NaN : totalSeconds / videos;
    }

    /** Frames generated per second of wall time, end to end. */
    public double framesPerSecond() {
        return totalSeconds == 0 ? Double.NaN : frames / totalSeconds;
    }

    /** One line, e.g. {@code 0.123 s/step, 2.46 s/video, 3.25 frames/s, peak RSS 812 MiB}. */
    public String format() {
        return String.format(Locale.ROOT, "%.3f s/step, %.2f s/video, %.2f frames/s, peak RSS %s", secondsPerStep(),
                secondsPerVideo(), framesPerSecond(), peakRssBytes < 0 ? "unknown" : (peakRssBytes >> 20) + " MiB");
    }
}
