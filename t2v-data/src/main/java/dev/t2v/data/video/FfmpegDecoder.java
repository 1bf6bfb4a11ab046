package dev.t2v.data.video;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Decodes a video's first video stream with an external {@code ffmpeg} process writing raw frames to a pipe, in
 * presentation order (passthrough: no frames dropped or duplicated). The fallback of {@link VideoReader} for H.264
 * features JCodec decodes wrong.
 *
 * <p>Frames come out in the decoder's own pixel format, which {@link VideoReader} has already checked is 8-bit 4:2:0
 * (yuv420p, or yuvj420p for full range: the same I420 layout), and are converted to RGB by the same code as JCodec's
 * pictures. Asking ffmpeg for rgb24 instead would use swscale's truncating conversion (about 1 level darker), so the
 * two decoder paths would disagree; asking for yuv420p would make ffmpeg squeeze full-range streams. Rotation
 * metadata is ignored ({@code -noautorotate}), as in the JCodec path, so both give the stored frame.
 */
public final class FfmpegDecoder {
    private static final int STDERR_TAIL = 2000;
    /** Default for {@link #stallTimeout()}: far above any frame's decode time, short enough not to hang a batch. */
    public static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(60);

    private final Path executable;
    private final Duration stallTimeout;

    /** An ffmpeg at the given path, killed if it produces no frame for {@link #DEFAULT_STALL_TIMEOUT}. */
    public FfmpegDecoder(Path executable) {
        this(executable, DEFAULT_STALL_TIMEOUT);
    }

    public FfmpegDecoder(Path executable, Duration stallTimeout) {
        if (executable == null) {
            throw new IllegalArgumentException("ffmpeg executable path must not be null");
        }
        if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()) {
            throw new IllegalArgumentException("stallTimeout must be positive, got " + stallTimeout);
        }
        this.executable = executable;
        this.stallTimeout = stallTimeout;
    }

    /** How long ffmpeg may go without producing a frame before it is killed and the decode fails. */
    public Duration stallTimeout() {
        return stallTimeout;
    }

    /** The {@code ffmpeg} found on {@code PATH}, if any. */
    public static Optional<FfmpegDecoder> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path exe = Path.of(dir, "ffmpeg");
            if (Files.isRegularFile(exe) && Files.isExecutable(exe)) {
                return Optional.of(new FfmpegDecoder(exe));
            }
        }
        return Optional.empty();
    }

    public Path executable() {
        return executable;
    }

    /** Receives a decoded I420 frame (the array is reused for the next frame) and its presentation index. */
    @FunctionalInterface
    interface FrameSink {
        void accept(int index, byte[] i420) throws VideoDecodeException;
    }

    /**
     * Decodes frames 0..{@code lastIndex} (or to the end, if shorter) of an 8-bit 4:2:0 stream, handing those that
     * {@code wanted} accepts to the sink; ffmpeg is stopped once {@code lastIndex} has been read.
     *
     * @return the number of frames read
     */
    int decode(Path video, int width, int height, IntPredicate wanted, int lastIndex, FrameSink sink)
            throws VideoDecodeException {
        List<String> cmd = List.of(executable.toString(), "-nostdin", "-v", "error", "-noautorotate",
                "-i", video.toString(), "-map", "0:v:0", "-an", "-sn", "-dn", "-vsync", "passthrough",
                "-f", "rawvideo", "pipe:1");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new VideoDecodeException(video, "cannot start " + executable + " (" + e.getMessage() + ")", e);
        }
        StderrTail err = new StderrTail(p.getErrorStream());
        err.start();
        Watchdog watchdog = new Watchdog(p, stallTimeout.toNanos());
        watchdog.start();
        byte[] raw = new byte[width * height * 3 / 2];
        int count = 0;
        int partial = 0;
        boolean reachedEnd = false;
        try (InputStream in = p.getInputStream()) {
            while (count <= lastIndex) {
                int got = in.readNBytes(raw, 0, raw.length);
                if (got < raw.length) {
                    partial = got;
                    reachedEnd = true;
                    break;
                }
                watchdog.progress();
                if (wanted.test(count)) {
                    sink.accept(count, raw);
                }
                count++;
            }
        } catch (IOException e) {
            throw new VideoDecodeException(video, "reading ffmpeg output failed (" + e.getMessage() + ")", e);
        } finally {
            watchdog.interrupt();
            if (!reachedEnd) {
                // Stopped early or failed: ffmpeg would block on the closed pipe or run on needlessly.
                p.destroy();
            }
        }
        // Reached here with ffmpeg's output ended, or stopped after lastIndex; let the process exit either way.
        int exit = waitFor(p, video);
        if (!reachedEnd) {
            return count;
        }
        if (watchdog.fired) {
            throw new VideoDecodeException(video, "ffmpeg produced no frame for " + stallTimeout.toMillis()
                    + " ms after frame " + count + " and was stopped: " + err.tail());
        }
        if (exit != 0) {
            throw new VideoDecodeException(video, "ffmpeg failed (exit " + exit + "): " + err.tail());
        }
        if (partial > 0) {
            throw new VideoDecodeException(video, "ffmpeg output ended inside frame " + count + " (expected "
                    + width + "x" + height + " 4:2:0 frames): " + err.tail());
        }
        return count;
    }

    /** Kills the process when no frame has arrived within the stall timeout. */
    private static final class Watchdog extends Thread {
        private final Process process;
        private final long timeoutNanos;
        private volatile long last = System.nanoTime();
        volatile boolean fired;

        Watchdog(Process process, long timeoutNanos) {
            super("ffmpeg-watchdog");
            setDaemon(true);
            this.process = process;
            this.timeoutNanos = timeoutNanos;
        }

        void progress() {
            last = System.nanoTime();
        }

        @Override
        public void run() {
            try {
                while (process.isAlive()) {
                    long idle = System.nanoTime() - last;
                    if (idle > timeoutNanos) {
                        fired = true;
                        process.destroyForcibly();
                        return;
                    }
                    TimeUnit.NANOSECONDS.sleep(Math.min(timeoutNanos - idle + 1, TimeUnit.SECONDS.toNanos(1)));
                }
            } catch (InterruptedException e) {
                // Decoding finished.
            }
        }
    }

    private static int waitFor(Process p, Path video) throws VideoDecodeException {
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new VideoDecodeException(video, "ffmpeg did not exit after its output ended");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new VideoDecodeException(video, "interrupted while waiting for ffmpeg", e);
        }
    }

    /** Drains ffmpeg's stderr so it never blocks, keeping the last lines for error messages. */
    private static final class StderrTail extends Thread {
        private final InputStream in;
        private final StringBuilder tail = new StringBuilder();

        StderrTail(InputStream in) {
            super("ffmpeg-stderr");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (tail) {
                        tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        if (tail.length() > STDERR_TAIL) {
                            tail.delete(0, tail.length() - STDERR_TAIL);
                        }
                    }
                }
            } catch (IOException ignored) {
                // The process was stopped; the tail so far is all there is.
            }
        }

        String tail() {
            try {
                join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (tail) {
                String s = tail.toString().strip();
                return s.isEmpty() ? "(no message)" : s;
            }
        }
    }
}
