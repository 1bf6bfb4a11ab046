package dev.t2v.train.codec;

import dev.t2v.data.video.Video;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Square RGB frames of one size held as 8-bit planes ({@code [3,S,S]} per frame, a quarter of the memory of floats),
 * from which the trainer cuts crops and the evaluator reads whole frames. Values convert to [-1, 1] as
 * {@link Video#toTensor()} does: {@code pixel / 127.5 - 1}.
 */
public final class FrameBank {
    private final int size;
    private final List<byte[]> frames;

    private FrameBank(int size, List<byte[]> frames) {
        this.size = size;
        this.frames = List.copyOf(frames);
    }

    /** Every frame of every video; all must be square and of one size. */
    public static FrameBank of(List<Video> videos) {
        List<BufferedImage> images = new ArrayList<>();
        videos.forEach(v -> images.addAll(v.frames()));
        return ofImages(images);
    }

    /** The given images; all must be square and of one size. */
    public static FrameBank ofImages(List<BufferedImage> images) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("a frame bank needs at least one frame");
        }
        int s = images.get(0).getWidth();
        List<byte[]> out = new ArrayList<>(images.size());
        int[] row = new int[s];
        for (int i = 0; i < images.size(); i++) {
            BufferedImage img = images.get(i);
            if (img.getWidth() != s || img.getHeight() != s) {
                throw new IllegalArgumentException("frame " + i + " is " + img.getWidth() + "x" + img.getHeight()
                        + "; every frame must be " + s + "x" + s + " like frame 0");
            }
            byte[] planes = new byte[3 * s * s];
            int plane = s * s;
            for (int y = 0; y < s; y++) {
                img.getRGB(0, y, s, 1, row, 0, s);
                for (int x = 0; x < s; x++) {
                    int p = row[x];
                    int o = y * s + x;
                    planes[o] = (byte) (p >> 16);
                    planes[o + plane] = (byte) (p >> 8);
                    planes[o + 2 * plane] = (byte) p;
                }
            }
            out.add(planes);
        }
        return new FrameBank(s, out);
    }

    /** S, the frames' width and height. */
    public int size() {
        return size;
    }

    public int count() {
        return frames.size();
    }

    /** Pixel value 0..255 of frame {@code f}, channel {@code c}, row {@code y}, column {@code x}. */
    public int pixel(int f, int c, int y, int x) {
        return frames.get(f)[(c * size + y) * size + x] & 0xff;
    }

    /** Frames {@code [from, to)} as {@code [n,3,S,S]} floats in [-1, 1]. */
    public INDArray tensor(int from, int to) {
        if (from < 0 || to > count() || from >= to) {
            throw new IndexOutOfBoundsException("frames [" + from + ", " + to + ") of " + count());
        }
        int per = 3 * size * size;
        float[] data = new float[(to - from) * per];
        for (int f = from; f < to; f++) {
            byte[] src = frames.get(f);
            int base = (f - from) * per;
            for (int i = 0; i < per; i++) {
                data[base + i] = (src[i] & 0xff) / 127.5f - 1f;
            }
        }
        return Nd4j.create(data, new long[] {to - from, 3, size, size}, DataType.FLOAT);
    }

    /**
     * Writes the {@code crop x crop} window of frame {@code f} whose top-left corner is {@code (y0, x0)} into
     * {@code dst} at {@code offset} as {@code [3,crop,crop]} floats in [-1, 1].
     */
    void crop(int f, int y0, int x0, int crop, float[] dst, int offset) {
        if (y0 < 0 || x0 < 0 || y0 + crop > size || x0 + crop > size) {
            throw new IndexOutOfBoundsException("crop " + crop + " at (" + y0 + ", " + x0 + ") of a " + size + " frame");
        }
        byte[] src = frames.get(f);
        int o = offset;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < crop; y++) {
                int row = (c * size + y0 + y) * size + x0;
                for (int x = 0; x < crop; x++) {
                    dst[o++] = (src[row + x] & 0xff) / 127.5f - 1f;
                }
            }
        }
    }
}
