package dev.t2v.data.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tiny clips made by the system ffmpeg (libx264 unless noted) at test time: 64x48, 30 frames at 25 fps of
 * ffmpeg's zooming mandelbrot, which has enough motion for temporal direct prediction to matter. Callers must
 * {@link Ffmpeg#assumeAvailable()} first.
 */
public final class TestClips {
    public static final int WIDTH = 64;
    public static final int HEIGHT = 48;
    public static final int FRAMES = 30;
    public static final int FPS = 25;

    /** Clip name -> ffmpeg output options. */
    private static final Map<String, List<String>> CLIPS = new LinkedHashMap<>();

    static {
        CLIPS.put("baseline", List.of("-c:v", "libx264", "-profile:v", "baseline"));
        CLIPS.put("main", List.of("-c:v", "libx264", "-profile:v", "main"));
        CLIPS.put("high", List.of("-c:v", "libx264", "-profile:v", "high"));
        CLIPS.put("bframes", List.of("-c:v", "libx264", "-bf", "3", "-x264-params", "b-pyramid=none"));
        CLIPS.put("bpyramid", List.of("-c:v", "libx264", "-bf", "3", "-x264-params", "b-pyramid=normal"));
        CLIPS.put("cabac", List.of("-c:v", "libx264", "-profile:v", "main", "-bf", "0", "-coder", "1"));
        // A fade makes x264 actually use explicit weights.
        CLIPS.put("weighted", List.of("-vf", "fade=in:0:25", "-c:v", "libx264", "-x264-params", "weightp=2:weightb=1"));
        // Several IDR frames, so reading from the middle starts at a later IDR.
        CLIPS.put("shortgop", List.of("-c:v", "libx264", "-g", "6", "-keyint_min", "6", "-sc_threshold", "0"));
        CLIPS.put("slices", List.of("-c:v", "libx264", "-x264-params", "slices=3"));
        // An AAC track first, as in many downloaded videos: the reader must pick the video track.
        CLIPS.put("audio", List.of("-map", "1:a", "-map", "0:v", "-c:a", "aac", "-c:v", "libx264"));
        CLIPS.put("temporal", List.of("-c:v", "libx264", "-x264-params", "direct=temporal"));
        CLIPS.put("nodeblock", List.of("-c:v", "libx264", "-x264-params", "no-deblock=1"));
        CLIPS.put("mbaff", List.of("-c:v", "libx264", "-flags", "+ildct+ilme", "-x264-params", "interlaced=1"));
        CLIPS.put("mpeg4", List.of("-c:v", "mpeg4"));
    }

    private TestClips() {
    }

    public static List<String> names() {
        return List.copyOf(CLIPS.keySet());
    }

    /** Makes {@code dir/name.mp4} unless it exists, and returns its path. */
    public static Path make(Path dir, String name) throws IOException {
        List<String> options = CLIPS.get(name);
        if (options == null) {
            throw new IllegalArgumentException("unknown test clip " + name + "; known: " + CLIPS.keySet());
        }
        Path out = dir.resolve(name + ".mp4");
        if (!Files.exists(out)) {
            // Bounding the endless source also at the input keeps ffmpeg from waiting on it after -frames:v when
            // another stream is being muxed (it hangs otherwise).
            List<String> args = new ArrayList<>(List.of("-t", Double.toString(FRAMES / (double) FPS), "-f", "lavfi",
                    "-i", "mandelbrot=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FPS));
            if (name.equals("audio")) {
                args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050:duration=1.2"));
            }
            args.addAll(List.of("-frames:v", Integer.toString(FRAMES), "-pix_fmt", "yuv420p"));
            args.addAll(options);
            args.add(out.toString());
            Ffmpeg.run(args.toArray(String[]::new));
        }
        return out;
    }
}
