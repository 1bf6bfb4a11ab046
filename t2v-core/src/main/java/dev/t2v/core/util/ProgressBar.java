package dev.t2v.core.util;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line progress bar for long jobs, drawn on a stream (stderr by convention) with rate and ETA.
 *
 * <p>Redraws at most every {@code minIntervalMillis} so a fast loop does not flood the terminal. When the
 * stream is not a terminal the bar still prints, one line per redraw, so logs keep the history.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final long startNanos;
    private final long minIntervalNanos;
    private final boolean carriageReturn;
    private long done;
    private long lastDrawNanos;
    private String extra = "";
    private long drawnDone = -1;
    private String drawnExtra = "";
    private boolean closed;

    public ProgressBar(PrintStream out, String label, long total) {
        this(out, label, total, 250, System.console() != null);
    }

    public ProgressBar(PrintStream out, String label, long total, long minIntervalMillis, boolean carriageReturn) {
        if (total < 0) {
            throw new IllegalArgumentException("total must be >= 0, got " + total);
        }
        this.out = out;
        this.label = label;
        this.total = total;
        this.startNanos = System.nanoTime();
        this.minIntervalNanos = minIntervalMillis * 1_000_000L;
        this.carriageReturn = carriageReturn;
        this.lastDrawNanos = startNanos - minIntervalNanos;
    }

    /** A bar that draws nothing, for library calls made without a user watching. */
    public static ProgressBar silent() {
        return new ProgressBar(new PrintStream(PrintStream.nullOutputStream()), "", 0, Long.MAX_VALUE / 2_000_000L, false);
    }

    /** Sets the free text after the bar, e.g. {@code loss 0.0123 lr 1e-4}. */
    public synchronized ProgressBar extra(String text) {
        this.extra = text == null ? "" : text;
        return this;
    }

    public synchronized void step() {
        stepTo(done + 1);
    }

    public synchronized void stepTo(long value) {
        done = value;
        long now = System.nanoTime();
        if (now - lastDrawNanos >= minIntervalNanos || (total > 0 && done >= total)) {
            draw(now);
        }
    }

    public synchronized long done() {
        return done;
    }

    /** Items per second since the bar started. */
    public synchronized double rate() {
        double secs = (System.nanoTime() - startNanos) / 1e9;
        return secs <= 0 ? 0 : done / secs;
    }

    private void draw(long now) {
        lastDrawNanos = now;
        drawnDone = done;
        drawnExtra = extra;
        double rate = rate();
        StringBuilder sb = new StringBuilder();
        if (carriageReturn) {
            sb.append('\r');
        }
        sb.append(label).append(' ');
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * done / total);
            sb.append('[').append("=".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
            sb.append(done).append('/').append(total);
        } else {
            sb.append(done);
        }
        sb.append(String.format(Locale.ROOT, " %.2f it/s", rate));
        if (total > 0 && rate > 0 && done < total) {
            sb.append(" ETA ").append(format(Duration.ofMillis((long) ((total - done) / rate * 1000))));
        }
        if (!extra.isEmpty()) {
            sb.append(" | ").append(extra);
        }
        if (carriageReturn) {
            sb.append("\u001b[K");
            out.print(sb);
        } else {
            out.println(sb);
        }
        out.flush();
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (done != drawnDone || !extra.equals(drawnExtra)) {
            draw(System.nanoTime());
        }
        if (carriageReturn) {
            out.println();
        }
    }
}
