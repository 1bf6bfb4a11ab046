package dev.t2v.inference.eval;

import dev.t2v.inference.ProgressListener;
import dev.t2v.inference.TextToVideoPipeline;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A {@link ProgressListener} that times generations from their progress events and passes every event on: the
 * denoising loop runs from the first {@code denoise 0/n} to {@code denoise n/n}, a video from {@code encode 0/..} to
 * {@code decode F/F}. Reuse one meter over many generations; read {@link #result()} at the end.
 */
public final class ThroughputMeter implements ProgressListener {
    private final ProgressListener delegate;
    private final LongSupplier clock;
    private int videos;
    private int steps;
    private long frames;
    private long denoiseNanos;
    private long totalNanos;
    private long videoStart = -1;
    private long denoiseStart = -1;

    public ThroughputMeter(ProgressListener delegate) {
        this(delegate, System::nanoTime);
    }

    /** With a custom nanosecond clock, for tests. */
    ThroughputMeter(ProgressListener delegate, LongSupplier clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized void onProgress(String stage, int done, int total) {
        long now = clock.getAsLong();
        switch (stage) {
            case TextToVideoPipeline.ENCODE -> {
                if (done == 0) {
                    videoStart = now;
                }
            }
            case TextToVideoPipeline.DENOISE -> {
                if (done == 0) {
                    denoiseStart = now;
                } else if (done == total && denoiseStart >= 0) {
                    denoiseNanos += now - denoiseStart;
                    steps += total;
                    denoiseStart = -1;
                }
            }
            case TextToVideoPipeline.DECODE -> {
                if (done == total && videoStart >= 0) {
                    totalNanos += now - videoStart;
                    frames += total;
                    videos++;
                    videoStart = -1;
                }
            }
            default -> {
            }
        }
        delegate.onProgress(stage, done, total);
    }

    /** The timings so far, with the process's peak RSS now. */
    public synchronized Throughput result() {
        return new Throughput(videos, steps, frames, denoiseNanos / 1e9, totalNanos / 1e9, PeakRss.bytes().orElse(-1));
    }
}
