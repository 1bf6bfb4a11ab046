package dev.t2v.inference;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Float-precision image resampling for CLIP's input (CLIPSIM): planar RGB images {@code [3][h][w]} with values 0–255
 * in one {@code float[]}, resized separably with area averaging on an axis that shrinks (no aliasing at large factors)
 * and pixel-centre-aligned bilinear interpolation on an axis that grows. Nothing is rounded to 8 bits in between.
 *
 * <p>Not the path from a video to the denoiser's or the codec's input: that is {@code Video.toModelTensor}, shared
 * with preprocessing.
 */
public final class Frames {
    private Frames() {
    }

    /** A planar RGB image: {@code data[c*h*w + y*w + x]}, values 0–255. */
    public record Planar(float[] data, int height, int width) {
        public Planar {
            if (height < 1 || width < 1 || data == null || data.length != 3 * height * width) {
                throw new IllegalArgumentException("planar RGB needs 3*height*width values, got "
                        + (data == null ? "null" : data.length) + " for " + width + "x" + height);
            }
        }
    }

    /** The pixels of {@code img} as planar RGB. */
    public static Planar planar(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        float[] out = new float[3 * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                out[y * w + x] = (p >> 16) & 0xff;
                out[plane + y * w + x] = (p >> 8) & 0xff;
                out[2 * plane + y * w + x] = p & 0xff;
            }
        }
        return new Planar(out, h, w);
    }

    /** Resizes to {@code newWidth x newHeight}. */
    public static Planar resize(Planar src, int newHeight, int newWidth) {
        if (newHeight < 1 || newWidth < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + newWidth + "x" + newHeight);
        }
        int h = src.height();
        int w = src.width();
        float[][] horizontal = weights(w, newWidth);
        float[][] vertical = weights(h, newHeight);
        float[] out = new float[3 * newHeight * newWidth];
        float[] mid = new float[h * newWidth];
        for (int c = 0; c < 3; c++) {
            int srcBase = c * h * w;
            // Rows: [h][w] -> [h][newWidth]
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < newWidth; x++) {
                    float[] k = horizontal[x];
                    float acc = 0;
                    for (int i = 0; i < k.length; i += 2) {
                        acc += k[i + 1] * src.data()[srcBase + y * w + (int) k[i]];
                    }
                    mid[y * newWidth + x] = acc;
                }
            }
            // Columns: [h][newWidth] -> [newHeight][newWidth]
            int dstBase = c * newHeight * newWidth;
            for (int y = 0; y < newHeight; y++) {
                float[] k = vertical[y];
                for (int x = 0; x < newWidth; x++) {
                    float acc = 0;
                    for (int i = 0; i < k.length; i += 2) {
                        acc += k[i + 1] * mid[(int) k[i] * newWidth + x];
                    }
                    out[dstBase + y * newWidth + x] = acc;
                }
            }
        }
        return new Planar(out, newHeight, newWidth);
    }

    /** The {@code cropWidth x cropHeight} region whose top-left corner is at (x0, y0). */
    public static Planar crop(Planar src, int y0, int x0, int cropHeight, int cropWidth) {
        if (y0 < 0 || x0 < 0 || cropHeight < 1 || cropWidth < 1 || y0 + cropHeight > src.height()
                || x0 + cropWidth > src.width()) {
            throw new IllegalArgumentException("crop " + cropWidth + "x" + cropHeight + " at (" + x0 + "," + y0
                    + ") does not fit in " + src.width() + "x" + src.height());
        }
        float[] out = new float[3 * cropHeight * cropWidth];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < cropHeight; y++) {
                System.arraycopy(src.data(), c * src.height() * src.width() + (y0 + y) * src.width() + x0, out,
                        c * cropHeight * cropWidth + y * cropWidth, cropWidth);
            }
        }
        return new Planar(out, cropHeight, cropWidth);
    }

    /** The centred {@code size x size} region (an odd margin leaves the extra pixel on the right/bottom). */
    public static Planar centreCrop(Planar src, int size) {
        return crop(src, (src.height() - size) / 2, (src.width() - size) / 2, size, size);
    }

    /** Resizes so that the shorter side is {@code size} (aspect kept, the other side rounded), then centre-crops. */
    public static Planar shorterSideThenCrop(Planar src, int size) {
        int h = src.height();
        int w = src.width();
        int nh = h <= w ? size : Math.max(size, (int) Math.round((double) h * size / w));
        int nw = w < h ? size : Math.max(size, (int) Math.round((double) w * size / h));
        return centreCrop(resize(src, nh, nw), size);
    }

    /**
     * For each output index, interleaved (source index, weight) pairs summing to 1 (indices are exact in a float up
     * to 2^24 pixels). Shrinking: the box of source pixels
     * an output pixel covers, with fractional coverage at its ends. Growing: the two nearest source pixel centres.
     */
    private static float[][] weights(int in, int out) {
        float[][] k = new float[out][];
        if (in == out) {
            for (int o = 0; o < out; o++) {
                k[o] = new float[] {o, 1f};
            }
        } else if (out < in) {
            double scale = (double) in / out;
            for (int o = 0; o < out; o++) {
                double lo = o * scale;
                double hi = lo + scale;
                List<float[]> taps = new ArrayList<>();
                for (int i = (int) Math.floor(lo); i < Math.min(in, (int) Math.ceil(hi)); i++) {
                    double cover = Math.min(hi, i + 1) - Math.max(lo, i);
                    if (cover > 1e-9) {
                        taps.add(new float[] {i, (float) (cover / scale)});
                    }
                }
                k[o] = flatten(taps);
            }
        } else {
            double scale = (double) in / out;
            for (int o = 0; o < out; o++) {
                double pos = (o + 0.5) * scale - 0.5;
                pos = Math.max(0, Math.min(in - 1, pos));
                int i0 = (int) Math.floor(pos);
                int i1 = Math.min(in - 1, i0 + 1);
                float frac = (float) (pos - i0);
                k[o] = i1 == i0 ? new float[] {i0, 1f} : new float[] {i0, 1f - frac, i1, frac};
            }
        }
        return k;
    }

    private static float[] flatten(List<float[]> taps) {
        float[] out = new float[taps.size() * 2];
        float sum = 0;
        for (float[] t : taps) {
            sum += t[1];
        }
        for (int i = 0; i < taps.size(); i++) {
            out[2 * i] = taps.get(i)[0];
            out[2 * i + 1] = taps.get(i)[1] / sum; // exact partition of unity despite float rounding
        }
        return out;
    }
}
