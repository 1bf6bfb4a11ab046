package dev.t2v.cli.serve;

import dev.t2v.data.video.Video;
import dev.t2v.inference.GenerationDefaults;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.VideoGenerator;
import dev.t2v.inference.output.ContactSheet;
import dev.t2v.inference.output.GifWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs generation jobs one at a time on a single worker thread, behind a bounded queue, and remembers them for the
 * history list.
 *
 * <p>One worker because a generator holds one model and its native memory; two generations at once would only
 * compete for the same cores. Cancellation is cooperative: the progress listener throws once a cancel is requested,
 * so a generator that reports each step stops at the next one without knowing about cancellation.
 */
final class JobQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobQueue.class);
    private static final String ID_PATTERN = "[0-9a-f]{16}";

    private final VideoGenerator generator;
    private final Path outDir;
    private final int maxHistory;
    private final Duration shutdownGrace;
    private final Clock clock;
    private final BlockingQueue<Job> pending;
    /** Every remembered job in submission order; guarded by {@code this}. */
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final SecureRandom ids = new SecureRandom();
    private final Thread worker;
    private volatile Job running;
    private volatile boolean closed;

    /** Thrown by {@link #submit} when the queue is full. */
    static final class QueueFullException extends Exception {
        QueueFullException(String message) {
            super(message);
        }
    }

    /** The generator's defaults: the web form's and a request's, the same as the CLI's. */
    GenerationDefaults defaults() {
        return generator.defaults();
    }

    JobQueue(VideoGenerator generator, Path outDir, int maxQueue, int maxHistory, Duration shutdownGrace, Clock clock) {
        this.generator = generator;
        this.outDir = outDir;
        this.maxHistory = maxHistory;
        this.shutdownGrace = shutdownGrace;
        this.clock = clock;
        this.pending = new ArrayBlockingQueue<>(maxQueue);
        this.worker = new Thread(this::work, "t2v-serve-worker");
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Queues a request.
     *
     * @throws QueueFullException when {@code maxQueue} jobs already wait
     * @throws IllegalStateException after {@link #close()}
     */
    synchronized Job submit(GenerationRequest request) throws QueueFullException {
        if (closed) {
            throw new IllegalStateException("the server is shutting down");
        }
        String id = newId();
        Job job = new Job(id, request, outDir.resolve(id), clock.instant());
        if (!pending.offer(job)) {
            throw new QueueFullException("the queue is full (" + (pending.size()) + " jobs waiting); try again later");
        }
        jobs.put(id, job);
        forgetOldJobs();
        return job;
    }

    /** The job with this id, if it is remembered; ids that are not well-formed are never looked up. */
    synchronized Optional<Job> get(String id) {
        if (id == null || !id.matches(ID_PATTERN)) {
            return Optional.empty();
        }
        return Optional.ofNullable(jobs.get(id));
    }

    /** All remembered jobs, newest first. */
    synchronized List<Job> history() {
        List<Job> all = new ArrayList<>(jobs.values());
        java.util.Collections.reverse(all);
        return all;
    }

    /** How many jobs will run before this queued one (the running job included); -1 if it is not queued. */
    int ahead(Job job) {
        if (job.status().state() != JobState.QUEUED) {
            return -1;
        }
        int n = running != null ? 1 : 0;
        for (Job j : pending) {
            if (j == job) {
                return n;
            }
            n++;
        }
        return -1; // taken by the worker between the two checks
    }

    /**
     * Cancels a job: a queued one never runs, a running one stops at its next progress report.
     *
     * @return false if the job had already finished
     */
    boolean cancel(Job job) {
        job.requestCancel();
        if (pending.remove(job)) {
            job.finish(JobState.CANCELLED, "cancelled", clock.instant());
            return true;
        }
        return !job.status().state().terminal();
    }

    private String newId() {
        byte[] b = new byte[8];
        String id;
        do {
            ids.nextBytes(b);
            id = HexFormat.of().formatHex(b);
        } while (jobs.containsKey(id));
        return id;
    }

    /** Drops the oldest finished jobs beyond {@code maxHistory}; their files stay on disk but are no longer served. */
    private void forgetOldJobs() {
        Iterator<Job> it = jobs.values().iterator();
        while (jobs.size() > maxHistory && it.hasNext()) {
            if (it.next().status().state().terminal()) {
                it.remove();
            }
        }
    }

    private void work() {
        while (!closed) {
            Job job;
            try {
                job = pending.take();
            } catch (InterruptedException e) {
                break;
            }
            if (!job.start(clock.instant())) {
                continue; // cancelled while it waited
            }
            running = job;
            try {
                run(job);
            } finally {
                running = null;
                Thread.interrupted(); // an interrupt aimed at this job must not hit the next one
            }
        }
        // Whatever still waits will never run.
        dropQueued();
    }

    private void run(Job job) {
        try {
            Video video = generator.generate(job.request(), (stage, done, total) -> {
                if (job.cancelRequested() || Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("cancelled");
                }
                job.progress(stage, done, total);
            });
            if (video == null) {
                throw new IllegalStateException("the generator returned no video");
            }
            writeOutputs(job, video);
            job.finish(JobState.DONE, null, clock.instant());
        } catch (CancellationException e) {
            job.finish(JobState.CANCELLED, closed ? "the server stopped" : "cancelled", clock.instant());
        } catch (InterruptedException e) {
            job.finish(JobState.CANCELLED, "the server stopped", clock.instant());
        } catch (Exception | Error e) {
            if (closed || job.cancelRequested()) {
                // An interrupt or cancel surfacing as an I/O error (ClosedByInterruptException) is still a cancel.
                job.finish(JobState.CANCELLED, closed ? "the server stopped" : "cancelled", clock.instant());
                return;
            }
            // Errors too (e.g. OutOfMemoryError from a huge request): the job fails, the server goes on.
            LOG.warn("job {} failed", job.id(), e);
            job.finish(JobState.FAILED, oneLine(e), clock.instant());
        }
    }

    private void writeOutputs(Job job, Video video) throws IOException {
        Files.createDirectories(job.dir());
        OutputFile[] order = {OutputFile.GIF, OutputFile.SHEET, OutputFile.MP4}; // the reliable preview first
        job.progress("write", 0, order.length);
        for (int i = 0; i < order.length; i++) {
            if (job.cancelRequested()) {
                throw new CancellationException("cancelled");
            }
            Path p = job.dir().resolve(order[i].fileName());
            try {
                switch (order[i]) {
                    case GIF -> GifWriter.write(video, p);
                    case SHEET -> ContactSheet.write(video, p, job.request().prompt());
                    case MP4 -> video.writeMp4(p);
                }
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                throw new IOException("writing " + order[i].fileName() + ": " + oneLine(e), e);
            }
            job.progress("write", i + 1, order.length);
        }
    }

    static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return (msg == null ? root.getClass().getSimpleName() : msg).replace('\n', ' ');
    }

    /** Whether the worker thread has stopped (always true after a {@link #close()} that returned in time). */
    boolean workerStopped() {
        return !worker.isAlive();
    }

    /**
     * Stops taking jobs, cancels the running one and waits up to the shutdown grace for the worker to stop. Jobs still
     * queued end as cancelled.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true; // under the lock, so no submit can slip a job in after the drain below
        }
        Job r = running;
        if (r != null) {
            r.requestCancel();
        }
        worker.interrupt();
        try {
            worker.join(Math.max(1, shutdownGrace.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            LOG.warn("the generation worker did not stop within {}; leaving it to finish in the background",
                    shutdownGrace);
        }
        dropQueued();
    }

    /** Cancels the jobs still queued at shutdown, and says so: their submitters are not told otherwise. */
    private void dropQueued() {
        for (Job j; (j = pending.poll()) != null; ) {
            LOG.warn("the server stopped: dropped queued job {}", j.id());
            j.finish(JobState.CANCELLED, "the server stopped", clock.instant());
        }
    }
}
