package dev.t2v.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The overlapping temporal windows that cover a video of {@code totalFrames} frames with windows of the model's
 * length: starts {@code 0, stride, 2·stride, …} while a window fits, plus one window flush with the end, so every
 * frame is covered and every window has the same length. A video no longer than the window is one window of its own
 * length.
 *
 * @param totalFrames frames in the video
 * @param length      frames per window
 * @param starts      first frame of each window, strictly increasing
 */
public record WindowPlan(int totalFrames, int length, int[] starts) {
    public WindowPlan {
        if (totalFrames < 1 || length < 1 || length > totalFrames || starts == null || starts.length == 0) {
            throw new IllegalArgumentException("a window plan needs 1 <= length <= totalFrames and a window, got "
                    + totalFrames + " frames, length " + length);
        }
        starts = starts.clone();
        for (int i = 0; i < starts.length; i++) {
            if (starts[i] < 0 || starts[i] + length > totalFrames || (i > 0 && starts[i] <= starts[i - 1])) {
                throw new IllegalArgumentException("bad window starts " + Arrays.toString(starts) + " for "
                        + totalFrames + " frames of windows " + length);
            }
        }
    }

    /** Windows of {@code window} frames every {@code stride} frames over {@code totalFrames} frames. */
    public static WindowPlan of(int totalFrames, int window, int stride) {
        if (totalFrames < 1 || window < 1 || stride < 1) {
            throw new IllegalArgumentException("totalFrames, window and stride must be >= 1, got " + totalFrames + ", "
                    + window + ", " + stride);
        }
        if (totalFrames <= window) {
            return new WindowPlan(totalFrames, totalFrames, new int[] {0});
        }
        List<Integer> starts = new ArrayList<>();
        for (int s = 0; s + window < totalFrames; s += stride) {
            starts.add(s);
        }
        starts.add(totalFrames - window);
        return new WindowPlan(totalFrames, window, starts.stream().distinct().mapToInt(Integer::intValue).toArray());
    }

    @Override
    public int[] starts() {
        return starts.clone();
    }

    public int count() {
        return starts.length;
    }

    public int start(int i) {
        return starts[i];
    }

    /** How many windows cover each frame (at least 1). */
    public int[] coverage() {
        int[] c = new int[totalFrames];
        for (int s : starts) {
            for (int f = s; f < s + length; f++) {
                c[f]++;
            }
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowPlan w && w.totalFrames == totalFrames && w.length == length
                && Arrays.equals(w.starts, starts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * totalFrames + length) + Arrays.hashCode(starts);
    }

    @Override
    public String toString() {
        return "WindowPlan[" + totalFrames + " frames, windows of " + length + " at " + Arrays.toString(starts) + "]";
    }
}
