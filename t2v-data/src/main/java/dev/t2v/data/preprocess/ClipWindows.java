package dev.t2v.data.preprocess;

import java.util.Arrays;

/**
 * Where a video's clip windows start. The video is cut into {@code count} equal segments and a window of
 * {@code frames / fps} seconds is centred in each, shifted to fit inside the video; starts are rounded down to the
 * millisecond (readable manifests, and never past the end) and duplicates dropped, so a video barely longer than one
 * window gives one clip rather than copies.
 */
final class ClipWindows {
    private ClipWindows() {
    }

    /**
     * Start times in seconds, ascending; empty when the video is shorter than a window (less half a frame, which
     * absorbs container rounding: the last sample time still falls inside the video).
     */
    static double[] starts(double durationSeconds, int frames, double fps, int count) {
        if (frames < 1 || !(fps > 0) || count < 1) {
            throw new IllegalArgumentException("expected frames >= 1, fps > 0, count >= 1, got " + frames + ", " + fps
                    + ", " + count);
        }
        double span = frames / fps;
        if (!(durationSeconds >= span - 0.5 / fps)) {
            return new double[0];
        }
        double maxStart = Math.max(0, durationSeconds - span);
        double[] out = new double[count];
        int n = 0;
        for (int k = 0; k < count; k++) {
            double centre = (k + 0.5) * durationSeconds / count;
            double s = Math.min(maxStart, Math.max(0, centre - span / 2));
            // The epsilon keeps binary round-off (1.99999...) from dropping a whole millisecond; the min keeps the
            // rounded start inside the video (to within that epsilon; sampling keeps a whole frame of margin).
            s = Math.min(Math.floor(s * 1000 + 1e-6), Math.floor(maxStart * 1000 + 1e-6)) / 1000;
            if (n == 0 || s > out[n - 1]) {
                out[n++] = s;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
