package dev.t2v.cli;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.inference.ProgressListener;

import java.io.PrintStream;
import java.util.Objects;

/** Draws a generation's progress on stderr: one {@link ProgressBar} per stage, opened at its first event. */
final class StageProgress implements ProgressListener, AutoCloseable {
    private final PrintStream err;
    private final String prefix;
    private ProgressBar bar;
    private String stage;

    StageProgress(PrintStream err, String prefix) {
        this.err = Objects.requireNonNull(err, "err");
        this.prefix = prefix == null ? "" : prefix;
    }

    @Override
    public void onProgress(String stage, int done, int total) {
        if (!stage.equals(this.stage)) {
            close();
            this.stage = stage;
            bar = new ProgressBar(err, prefix + stage, total);
        }
        bar.stepTo(done);
        if (done >= total) {
            close();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        stage = null;
    }
}
