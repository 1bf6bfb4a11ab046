package dev.t2v.cli.serve;

import java.time.Instant;
import java.util.Objects;

/**
 * An immutable snapshot of a job's progress, swapped whole so readers never see a half-updated one.
 *
 * @param state where the job is
 * @param stage the generator's current stage ({@code encode}, {@code denoise}, {@code decode}), {@code write} while
 *     the files are written, empty before the job starts
 * @param done units done in {@code stage}
 * @param total units in {@code stage}
 * @param error why the job failed or was cancelled; null otherwise
 * @param startedAt when generation began; null while queued
 * @param finishedAt when the job reached a terminal state; null before
 */
public record JobStatus(JobState state, String stage, int done, int total, String error, Instant startedAt,
        Instant finishedAt) {

    public JobStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stage, "stage");
        if (total < 0 || done < 0 || done > total) {
            throw new IllegalArgumentException("progress: expected 0 <= done <= total, got " + done + "/" + total);
        }
        if (state.terminal() != (finishedAt != null)) {
            throw new IllegalArgumentException("finishedAt: expected a time exactly when the state is terminal, state "
                    + state + ", finishedAt " + finishedAt);
        }
    }

    static JobStatus queued() {
        return new JobStatus(JobState.QUEUED, "", 0, 0, null, null, null);
    }

    JobStatus running(Instant now) {
        return new JobStatus(JobState.RUNNING, "", 0, 0, null, now, null);
    }

    /** Progress as the generator reports it; out-of-range counts are clamped so a sloppy reporter cannot fail a job. */
    JobStatus progress(String newStage, int newDone, int newTotal) {
        int t = Math.max(0, newTotal);
        int d = Math.max(0, Math.min(newDone, t));
        return new JobStatus(state, newStage == null ? "" : newStage, d, t, null, startedAt, null);
    }

    JobStatus finished(JobState terminal, String why, Instant now) {
        return new JobStatus(terminal, stage, done, total, why, startedAt, now);
    }
}
