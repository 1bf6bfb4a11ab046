package dev.t2v.data.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A short RGB video: frames of one size plus a frame rate.
 *
 * <p>Frames are {@link BufferedImage#TYPE_INT_RGB}; the constructor converts other types so every consumer can read
 * pixels the same way. The list is copied and unmodifiable, but the images themselves are shared, not copied.
 */
public record Video(List<BufferedImage> frames, double fps) {
    public Video {
        if (frames == null || frames.isEmpty()) {
            throw new IllegalArgumentException("a video needs at least one frame");
        }
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        int w = frames.get(0).getWidth();
        int h = frames.get(0).getHeight();
        List<BufferedImage> rgb = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            BufferedImage f = frames.get(i);
            if (f.getWidth() != w || f.getHeight() != h) {
                throw new IllegalArgumentException("frame " + i + " is " + f.getWidth() + "x" + f.getHeight()
                        + ", expected " + w + "x" + h + " like frame 0");
            }
            rgb.add(f.getType() == BufferedImage.TYPE_INT_RGB ? f : toRgb(f));
        }
        frames = List.copyOf(rgb);
    }

    /** Writes an MP4 (H.264, QP 20, limited-range BT.601) atomically; see {@link Mp4Writer}. */
    public void writeMp4(Path out) throws IOException {
        Mp4Writer.DEFAULT.write(this, out);
    }

    public int width() {
        return frames.get(0).getWidth();
    }

    public int height() {
        return frames.get(0).getHeight();
    }

    public int frameCount() {
        return frames.size();
    }

    /** Frames as a float tensor {@code [F,3,H,W]} with values in [-1, 1] (pixel / 127.5 - 1). */
    public INDArray toTensor() {
        int f = frameCount();
        int h = height();
        int w = width();
        float[] data = new float[f * 3 * h * w];
        int plane = h * w;
        int[] row = new int[w];
        for (int i = 0; i < f; i++) {
            BufferedImage img = frames.get(i);
            int base = i * 3 * plane;
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    int o = base + y * w + x;
                    data[o] = ((p >> 16) & 0xff) / 127.5f - 1f;
                    data[o + plane] = ((p >> 8) & 0xff) / 127.5f - 1f;
                    data[o + 2 * plane] = (p & 0xff) / 127.5f - 1f;
                }
            }
        }
        return Nd4j.create(data, new long[] {f, 3, h, w}, DataType.FLOAT);
    }

    /**
     * What a model sees of this video: {@code n} frames, each centre-cropped to a square and resized to
     * {@code size x size} exactly as preprocessing resizes training clips ({@link FrameSampler}), then
     * {@link #toTensor()}: FLOAT {@code [n,3,size,size]} in [-1, 1]. When the frame count differs, frame i is source
     * frame {@code floor(i·F/n)} (nearest earlier in time), so the clip keeps its full duration.
     */
    public INDArray toModelTensor(int n, int size) {
        if (n < 1) {
            throw new IllegalArgumentException("frame count must be >= 1, got " + n);
        }
        List<BufferedImage> picked = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            picked.add(frames.get((int) ((long) i * frameCount() / n)));
        }
        return squareResized(picked, fps, size).toTensor();
    }

    /**
     * The one resize from video pixels to a model's input, shared by preprocessing ({@link FrameSampler}) and
     * generation ({@link #toModelTensor}) so the two cannot drift apart: each frame centre-cropped to a square and
     * resized to {@code size x size} ({@link Resize}); a frame that repeats is resized once and shared.
     */
    static Video squareResized(List<BufferedImage> frames, double fps, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, got " + size);
        }
        Map<BufferedImage, BufferedImage> resized = new IdentityHashMap<>();
        List<BufferedImage> out = new ArrayList<>(frames.size());
        for (BufferedImage img : frames) {
            out.add(resized.computeIfAbsent(img, i -> Resize.centreCropSquare(i, size)));
        }
        return new Video(out, fps);
    }

    /** The inverse of {@link #toTensor()}: values are clamped to [-1, 1] and rounded to 8 bits. */
    public static Video fromTensor(INDArray frames, double fps) {
        if (frames.rank() != 4 || frames.size(1) != 3) {
            throw new IllegalArgumentException("expected frames [F,3,H,W], got " + java.util.Arrays.toString(frames.shape()));
        }
        int f = (int) frames.size(0);
        int h = (int) frames.size(2);
        int w = (int) frames.size(3);
        float[] data = frames.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int plane = h * w;
        List<BufferedImage> out = new ArrayList<>(f);
        int[] row = new int[w];
        for (int i = 0; i < f; i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            int base = i * 3 * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int o = base + y * w + x;
                    row[x] = (to8bit(data[o]) << 16) | (to8bit(data[o + plane]) << 8) | to8bit(data[o + 2 * plane]);
                }
                img.setRGB(0, y, w, 1, row, 0, w);
            }
            out.add(img);
        }
        return new Video(out, fps);
    }

    private static int to8bit(float v) {
        float c = Math.max(-1f, Math.min(1f, Float.isNaN(v) ? 0f : v));
        return Math.round((c + 1f) * 127.5f);
    }

    private static BufferedImage toRgb(BufferedImage src) {
        BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        var g = dst.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return dst;
    }
}
