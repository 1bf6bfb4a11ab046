package dev.t2v.cli.serve;

import dev.t2v.data.video.Video;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.ProgressListener;
import dev.t2v.inference.VideoGenerator;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generator the test drives step by step: each denoising step waits for a permit, so a test can hold a job at a
 * known step (to see progress, fill the queue, or cancel it) without depending on timing.
 */
final class GatedGenerator implements VideoGenerator {
    private final Semaphore permits = new Semaphore(0);
    private final AtomicInteger started = new AtomicInteger();

    /** Lets {@code n} more steps run. */
    void release(int n) {
        permits.release(n);
    }

    /** Lets everything run from now on. */
    void openAll() {
        permits.release(1_000_000);
    }

    int started() {
        return started.get();
    }

    @Override
    public Video generate(GenerationRequest request, ProgressListener listener) throws InterruptedException {
        started.incrementAndGet();
        listener.onProgress("encode", 1, 1);
        for (int i = 0; i < request.steps(); i++) {
            permits.acquire();
            listener.onProgress("denoise", i + 1, request.steps());
        }
        return MovingSquareGenerator.render(request, listener);
    }
}
