package dev.t2v.data.video;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Samples a fixed-length square clip from a video: {@code frames} frames at {@code fps} starting {@code startSeconds}
 * into the video, each centre-cropped to a square and resized to {@code size x size} (area averaging when shrinking,
 * bilinear when growing).
 *
 * <p>Frame {@code i} is the source frame whose presentation time is nearest to {@code startSeconds + i / fps} (the
 * earlier one on a tie), so any source rate maps onto the target rate without drift; source frames repeat when the
 * target rate is higher and are skipped when it is lower.
 *
 * <p>Short videos: a sample time at or past the end of the video (its last frame's time plus that frame's duration)
 * is an error by default ({@link ShortVideo#FAIL}), because training on a frozen tail teaches the model that motion
 * stops; callers that prefer a result (previews) choose {@link ShortVideo#REPEAT_LAST}, which repeats the last frame.
 * A start at or past the end is always an error.
 */
public record FrameSampler(int frames, double fps, double startSeconds, int size, ShortVideo shortVideo) {
    /** What to do when the requested span runs past the end of the video. */
    public enum ShortVideo { FAIL, REPEAT_LAST }

    /** Sample times within this of a frame boundary count as on it (timescale rounding in the container). */
    private static final double TIME_EPS = 1e-6;

    public FrameSampler {
        if (frames < 1 || frames > 100_000) {
            throw new IllegalArgumentException("frames must be in [1, 100000], got " + frames);
        }
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        if (!(startSeconds >= 0) || Double.isInfinite(startSeconds)) {
            throw new IllegalArgumentException("startSeconds must be finite and >= 0, got " + startSeconds);
        }
        if (size < 1 || size > 8192) {
            throw new IllegalArgumentException("size must be in [1, 8192], got " + size);
        }
        if (shortVideo == null) {
            throw new IllegalArgumentException("shortVideo must not be null");
        }
    }

    /** A sampler that fails on videos too short for the requested span. */
    public FrameSampler(int frames, double fps, double startSeconds, int size) {
        this(frames, fps, startSeconds, size, ShortVideo.FAIL);
    }

    /** Seconds of video the sample covers from its start: {@code frames / fps}. */
    public double spanSeconds() {
        return frames / fps;
    }

    /** Opens the file (with the ffmpeg fallback from PATH, if any), samples it and closes it. */
    public Video sample(Path file) throws VideoDecodeException {
        try (VideoReader reader = VideoReader.open(file)) {
            return sample(reader);
        }
    }

    public Video sample(VideoReader reader) throws VideoDecodeException {
        int[] indices = sourceIndices(reader.frameTimes(), reader.info().durationSeconds(), reader.file());
        return Video.squareResized(reader.readFrames(indices), fps, size);
    }

    /**
     * Source frame (presentation index) for each output frame.
     *
     * @param frameTimes presentation times in seconds, ascending, the first at 0
     * @param duration   the video's duration in seconds
     */
    int[] sourceIndices(double[] frameTimes, double duration, Path file) throws VideoDecodeException {
        if (startSeconds >= duration - TIME_EPS) {
            throw new VideoDecodeException(file, String.format(Locale.ROOT,
                    "start %.3f s is at or past the end of the video (%.3f s)", startSeconds, duration));
        }
        double lastTime = startSeconds + (frames - 1) / fps;
        if (lastTime >= duration - TIME_EPS && shortVideo == ShortVideo.FAIL) {
            throw new VideoDecodeException(file, String.format(Locale.ROOT,
                    "too short: %d frames at %s fps from %.3f s need video until %.3f s, it lasts %.3f s",
                    frames, fps, startSeconds, lastTime, duration));
        }
        int[] out = new int[frames];
        int k = 0;
        for (int i = 0; i < frames; i++) {
            double t = startSeconds + i / fps;
            // Advance while the next frame is strictly nearer (ties stay on the earlier frame).
            while (k + 1 < frameTimes.length && frameTimes[k + 1] - t < t - frameTimes[k] - TIME_EPS) {
                k++;
            }
            out[i] = k;
        }
        return out;
    }
}
