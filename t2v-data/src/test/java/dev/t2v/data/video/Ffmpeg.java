package dev.t2v.data.video;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Test helper around the system ffmpeg/ffprobe: makes clips, decodes references and probes files. Tests that need
 * it call {@link #assumeAvailable()} so they are skipped (with the reason) where ffmpeg is not installed.
 */
public final class Ffmpeg {
    private static final long TIMEOUT_S = 60;
    private static Boolean available;

    private Ffmpeg() {
    }

    /** Skips the calling test when ffmpeg or ffprobe is missing. */
    public static void assumeAvailable() {
        assumeTrue(available(), "ffmpeg/ffprobe not found on PATH: install Debian's ffmpeg package to run this test");
    }

    /** Whether ffmpeg and ffprobe run; detected once, lazily (a static initializer would deadlock with exec's
     *  stderr thread, which needs this class initialised). */
    public static synchronized boolean available() {
        if (available == null) {
            available = detect();
        }
        return available;
    }

    private static boolean detect() {
        try {
            return exec(List.of("ffmpeg", "-version")).exitCode == 0 && exec(List.of("ffprobe", "-version")).exitCode == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs {@code ffmpeg -nostdin -y -v error <args>} and fails with its stderr if it does not succeed. */
    public static void run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-y", "-v", "error"));
        cmd.addAll(List.of(args));
        Result r = exec(cmd);
        if (r.exitCode != 0) {
            throw new IOException("ffmpeg failed (" + r.exitCode + "): " + String.join(" ", cmd) + "\n" + r.stderr);
        }
    }

    /** ffmpeg's own decode of the first video stream as RGB frames (default swscale conversion), in output order. */
    public static List<BufferedImage> decodeRgb(Path video, int width, int height) throws IOException {
        List<String> cmd = List.of("ffmpeg", "-nostdin", "-v", "error", "-i", video.toString(), "-map", "0:v:0",
                "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
        Result r = exec(cmd);
        if (r.exitCode != 0) {
            throw new IOException("ffmpeg decode failed: " + r.stderr);
        }
        int frameBytes = width * height * 3;
        if (r.stdout.length % frameBytes != 0) {
            throw new IOException("ffmpeg output " + r.stdout.length + " bytes, not a multiple of " + frameBytes);
        }
        List<BufferedImage> frames = new ArrayList<>();
        for (int off = 0; off < r.stdout.length; off += frameBytes) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int o = off + (y * width + x) * 3;
                    row[x] = ((r.stdout[o] & 0xff) << 16) | ((r.stdout[o + 1] & 0xff) << 8) | (r.stdout[o + 2] & 0xff);
                }
                img.setRGB(0, y, width, 1, row, 0, width);
            }
            frames.add(img);
        }
        return frames;
    }

    /**
     * ffmpeg's own decode of the first video stream (native I420, no swscale conversion), converted to RGB here in
     * double precision: limited-range BT.601, chroma replicated over each 2x2 block, rounded. Independent of the
     * fixed-point code under test, and free of swscale's truncation.
     */
    public static List<BufferedImage> decodeI420ToRgb(Path video, int width, int height) throws IOException {
        List<String> cmd = List.of("ffmpeg", "-nostdin", "-v", "error", "-i", video.toString(), "-map", "0:v:0",
                "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-");
        Result r = exec(cmd);
        if (r.exitCode != 0) {
            throw new IOException("ffmpeg decode failed: " + r.stderr);
        }
        int luma = width * height;
        int cw = width / 2;
        int frameBytes = luma * 3 / 2;
        if (r.stdout.length % frameBytes != 0) {
            throw new IOException("ffmpeg output " + r.stdout.length + " bytes, not a multiple of " + frameBytes);
        }
        double kr = 0.299;
        double kb = 0.114;
        double kg = 1 - kr - kb;
        List<BufferedImage> frames = new ArrayList<>();
        for (int off = 0; off < r.stdout.length; off += frameBytes) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int ci = (y / 2) * cw + x / 2;
                    double yy = ((r.stdout[off + y * width + x] & 0xff) - 16) / 219.0;
                    double cb = ((r.stdout[off + luma + ci] & 0xff) - 128) / 224.0;
                    double cr = ((r.stdout[off + luma + luma / 4 + ci] & 0xff) - 128) / 224.0;
                    double red = yy + 2 * (1 - kr) * cr;
                    double blue = yy + 2 * (1 - kb) * cb;
                    double green = (yy - kr * red - kb * blue) / kg;
                    img.setRGB(x, y, (to8(red) << 16) | (to8(green) << 8) | to8(blue));
                }
            }
            frames.add(img);
        }
        return frames;
    }

    private static int to8(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v * 255)));
    }

    /** {@code ffprobe -v error} on the first video stream, counting frames; key=value pairs plus "errors" (stderr). */
    public static Map<String, String> probe(Path video) throws IOException {
        Result r = exec(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
                "stream=codec_name,profile,width,height,pix_fmt,r_frame_rate,avg_frame_rate,nb_read_frames,"
                        + "color_range,color_space,color_primaries,color_transfer,field_order",
                "-of", "default=noprint_wrappers=1", video.toString()));
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.stdoutText().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        out.put("exit", Integer.toString(r.exitCode));
        out.put("errors", r.stderr.trim());
        return out;
    }

    record Result(int exitCode, byte[] stdout, String stderr) {
        String stdoutText() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Runs a command, draining stdout and stderr on their own threads so the timeout holds even if it hangs. */
    static Result exec(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread outDrain = drain(p.getInputStream(), out, "ffmpeg-stdout");
        Thread errDrain = drain(p.getErrorStream(), err, "ffmpeg-stderr");
        try {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + TIMEOUT_S + " s: " + String.join(" ", cmd));
            }
            outDrain.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
            errDrain.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
        return new Result(p.exitValue(), out.toByteArray(), err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream sink, String name) {
        Thread t = new Thread(() -> copy(in, sink), name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static java.io.File nullFile() {
        return new java.io.File("/dev/null");
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
