package dev.t2v.cli.serve;

import java.util.Locale;

/** Where a job is: waiting, generating, or finished one of three ways. */
public enum JobState {
    QUEUED, RUNNING, DONE, FAILED, CANCELLED;

    /** Whether the job will not change any more. */
    public boolean terminal() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    /** The lower-case name used in JSON. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
