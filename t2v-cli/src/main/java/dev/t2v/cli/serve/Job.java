package dev.t2v.cli.serve;

import dev.t2v.inference.GenerationRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/** One generation request, its progress, and where its files go. Thread-safe: status changes are atomic swaps. */
final class Job {
    private final String id;
    private final GenerationRequest request;
    private final Path dir;
    private final Instant createdAt;
    private final AtomicReference<JobStatus> status = new AtomicReference<>(JobStatus.queued());
    private volatile boolean cancelRequested;

    Job(String id, GenerationRequest request, Path dir, Instant createdAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.request = Objects.requireNonNull(request, "request");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    }

    String id() {
        return id;
    }

    GenerationRequest request() {
        return request;
    }

    /** The job's own directory; its outputs are {@link OutputFile} names inside it. */
    Path dir() {
        return dir;
    }

    Instant createdAt() {
        return createdAt;
    }

    JobStatus status() {
        return status.get();
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    /** QUEUED -> RUNNING; false if the job was cancelled while it waited. */
    boolean start(Instant now) {
        return transition(s -> s.state() == JobState.QUEUED ? s.running(now) : s);
    }

    void progress(String stage, int done, int total) {
        status.updateAndGet(s -> s.state() == JobState.RUNNING ? s.progress(stage, done, total) : s);
    }

    /** Moves to a terminal state unless the job is already in one; returns whether it moved. */
    boolean finish(JobState terminal, String why, Instant now) {
        if (!terminal.terminal()) {
            throw new IllegalArgumentException("finish: expected a terminal state, got " + terminal);
        }
        return transition(s -> s.state().terminal() ? s : s.finished(terminal, why, now));
    }

    private boolean transition(UnaryOperator<JobStatus> f) {
        JobStatus before;
        JobStatus after;
        do {
            before = status.get();
            after = f.apply(before);
            if (after == before) {
                return false;
            }
        } while (!status.compareAndSet(before, after));
        return true;
    }
}
