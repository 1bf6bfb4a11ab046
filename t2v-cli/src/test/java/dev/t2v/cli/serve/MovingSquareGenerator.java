package dev.t2v.cli.serve;

import dev.t2v.data.video.Video;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.ProgressListener;
import dev.t2v.inference.VideoGenerator;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for the pipeline: a square whose colour comes from the prompt ("red", "green", ... or a
 * hash) moves right across a dark background, starting where the seed says. It reports progress like the pipeline
 * (encode, one denoise report per step, decode per frame), optionally pausing per step so progress can be watched.
 */
final class MovingSquareGenerator implements VideoGenerator {
    static final int SIZE = 64;
    static final int SQUARE = 16;
    static final int BACKGROUND = 0x181818;
    private static final Map<String, Integer> COLOURS = Map.of(
            "red", 0xE03131, "green", 0x2F9E44, "blue", 0x1C7ED6, "yellow", 0xF5C400, "white", 0xFFFFFF);

    private final Duration stepDelay;
    private final AtomicInteger calls = new AtomicInteger();

    MovingSquareGenerator(Duration stepDelay) {
        this.stepDelay = stepDelay;
    }

    /** How many generations ran (or started). */
    int calls() {
        return calls.get();
    }

    static int colourOf(String prompt) {
        for (String word : prompt.toLowerCase(Locale.ROOT).split("\\W+")) {
            Integer c = COLOURS.get(word);
            if (c != null) {
                return c;
            }
        }
        return (prompt.hashCode() & 0x7F7F7F) | 0x808080; // bright enough to stand out from the background
    }

    @Override
    public Video generate(GenerationRequest request, ProgressListener listener) throws InterruptedException {
        calls.incrementAndGet();
        listener.onProgress("encode", 0, 1);
        listener.onProgress("encode", 1, 1);
        for (int i = 0; i < request.steps(); i++) {
            if (!stepDelay.isZero()) {
                Thread.sleep(stepDelay.toMillis());
            }
            listener.onProgress("denoise", i + 1, request.steps());
        }
        return render(request, listener);
    }

    /** The frames for a request, reporting one {@code decode} unit per frame. */
    static Video render(GenerationRequest request, ProgressListener listener) {
        int colour = colourOf(request.prompt());
        int travel = SIZE - SQUARE;
        int y0 = (int) Math.floorMod(request.seed(), (long) travel);
        List<BufferedImage> frames = new ArrayList<>(request.frames());
        for (int f = 0; f < request.frames(); f++) {
            BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
            int x0 = request.frames() == 1 ? 0 : f * travel / (request.frames() - 1);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    boolean inside = x >= x0 && x < x0 + SQUARE && y >= y0 && y < y0 + SQUARE;
                    img.setRGB(x, y, inside ? colour : BACKGROUND);
                }
            }
            frames.add(img);
            listener.onProgress("decode", f + 1, request.frames());
        }
        return new Video(frames, request.fps());
    }

    /** Where the square's top-left corner is in frame {@code f}. */
    static int[] squareAt(GenerationRequest request, int f) {
        int travel = SIZE - SQUARE;
        int x0 = request.frames() == 1 ? 0 : f * travel / (request.frames() - 1);
        return new int[] {x0, (int) Math.floorMod(request.seed(), (long) travel)};
    }
}
