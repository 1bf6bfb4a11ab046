package dev.t2v.inference;

import java.util.Objects;

/**
 * How a {@link TextToVideoPipeline} runs, beyond the request.
 *
 * @param windowStride   frames between the starts of overlapping windows for videos longer than the model's window;
 *                       0 means half the window (at least 1)
 * @param maxBatch       most samples (windows × guidance branches) per denoiser call; bounds memory
 * @param decodeChunk    frames per codec decode/encode call
 * @param longVideoNoise how the initial noise of long videos is drawn
 */
public record PipelineOptions(int windowStride, int maxBatch, int decodeChunk, LongVideoNoise longVideoNoise) {
    public PipelineOptions {
        if (windowStride < 0) {
            throw new IllegalArgumentException("windowStride must be >= 0 (0 = half the window), got " + windowStride);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        }
        if (decodeChunk < 1) {
            throw new IllegalArgumentException("decodeChunk must be >= 1, got " + decodeChunk);
        }
        Objects.requireNonNull(longVideoNoise, "longVideoNoise");
    }

    /** Half-window stride, up to 8 samples per denoiser call, 8 frames per codec call, FreeNoise rescheduling. */
    public static PipelineOptions defaults() {
        return new PipelineOptions(0, 8, 8, LongVideoNoise.FREENOISE);
    }

    public PipelineOptions withWindowStride(int stride) {
        return new PipelineOptions(stride, maxBatch, decodeChunk, longVideoNoise);
    }

    public PipelineOptions withMaxBatch(int n) {
        return new PipelineOptions(windowStride, n, decodeChunk, longVideoNoise);
    }

    public PipelineOptions withDecodeChunk(int n) {
        return new PipelineOptions(windowStride, maxBatch, n, longVideoNoise);
    }

    public PipelineOptions withLongVideoNoise(LongVideoNoise noise) {
        return new PipelineOptions(windowStride, maxBatch, decodeChunk, noise);
    }

    /** The stride for a window of {@code window} frames. */
    int strideFor(int window) {
        int s = windowStride == 0 ? window / 2 : windowStride;
        return Math.max(1, Math.min(s, window));
    }
}
