package dev.t2v.data.video;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures decode and encode throughput (frames/s). Not a test; run it by hand from the repository root:
 * <pre>
 * mvn -B -o -q -pl t2v-data -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp t2v-data/target/test-classes:t2v-data/target/classes:$(cat /tmp/cp.txt) \
 *     dev.t2v.data.video.VideoThroughput [frames=120] [repeats=5]
 * </pre>
 * Clips are made by ffmpeg (libx264 defaults: High profile, CABAC, B-frames) from the mandelbrot source.
 */
public final class VideoThroughput {
    private VideoThroughput() {
    }

    public static void main(String[] args) throws IOException {
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("t2v-throughput");
        System.out.printf(Locale.ROOT, "%d frames per clip, %d timed runs after 1 warm-up; cores=%d%n", frames,
                repeats, Runtime.getRuntime().availableProcessors());
        for (int[] size : new int[][] {{256, 256}, {320, 240}}) {
            String s = size[0] + "x" + size[1];
            Path jc = dir.resolve("clip" + s + ".mp4");
            Path tmp = dir.resolve("temporal" + s + ".mp4");
            Ffmpeg.run("-f", "lavfi", "-i", "mandelbrot=size=" + s + ":rate=25", "-frames:v", "" + frames,
                    "-pix_fmt", "yuv420p", "-c:v", "libx264", jc.toString());
            Ffmpeg.run("-f", "lavfi", "-i", "mandelbrot=size=" + s + ":rate=25", "-frames:v", "" + frames,
                    "-pix_fmt", "yuv420p", "-c:v", "libx264", "-x264-params", "direct=temporal", tmp.toString());
            report("decode JCodec  " + s, frames, repeats, () -> {
                try (VideoReader r = VideoReader.open(jc, Optional.empty())) {
                    r.readAll();
                }
            });
            report("decode ffmpeg  " + s, frames, repeats, () -> {
                try (VideoReader r = VideoReader.open(tmp, FfmpegDecoder.onPath())) {
                    r.readAll();
                }
            });
            Video video;
            try (VideoReader r = VideoReader.open(jc, Optional.empty())) {
                video = r.readAll();
            }
            Path out = dir.resolve("enc" + s + ".mp4");
            report("encode JCodec  " + s, frames, repeats, () -> video.writeMp4(out));
            FrameSampler sampler = new FrameSampler(16, 8, 1.0, 256);
            report("sample 16@8fps " + s, 16, repeats, () -> sampler.sample(jc));
        }
    }

    @FunctionalInterface
    private interface Job {
        void run() throws IOException;
    }

    /**
     * Wall time (best and median run) and this thread's CPU time (best run). On a shared machine the CPU time is the
     * steadier figure for in-process work; the ffmpeg path runs in a child process, so only its wall time counts.
     */
    private static void report(String label, int frames, int repeats, Job job) throws IOException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        job.run();
        double[] wall = new double[repeats];
        double[] cpu = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            job.run();
            wall[i] = (System.nanoTime() - t0) / 1e9;
            cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "%-22s wall best %6.1f frames/s, median %6.1f | JVM thread CPU %6.2f ms/frame"
                + " (%6.1f frames/s per core)%n", label, frames / wall[0], frames / wall[repeats / 2],
                1000 * cpu[0] / frames, frames / cpu[0]);
    }
}
