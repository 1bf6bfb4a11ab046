package dev.t2v.data.video;

import java.awt.image.BufferedImage;

/**
 * Separable RGB resizing: area averaging (box filter with fractional coverage) on an axis that shrinks, bilinear
 * interpolation with pixel-centre alignment on an axis that grows, a copy on an axis that keeps its size. Area
 * averaging does not alias when shrinking by large factors (320 -> 32), where bilinear would skip pixels.
 */
final class Resize {
    private Resize() {
    }

    /** Centre-crops {@code src} to a square and resizes it to {@code size x size}. */
    static BufferedImage centreCropSquare(BufferedImage src, int size) {
        int w = src.getWidth();
        int h = src.getHeight();
        int side = Math.min(w, h);
        // The crop is in whole pixels; an odd margin leaves the extra pixel on the right/bottom.
        int x0 = (w - side) / 2;
        int y0 = (h - side) / 2;
        int[] pixels = src.getRGB(x0, y0, side, side, null, 0, side);
        int[] out = resize(pixels, side, side, size, size);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, size, size, out, 0, size);
        return img;
    }

    /** Resizes row-major {@code 0xRRGGBB} pixels from {@code sw x sh} to {@code dw x dh}. */
    static int[] resize(int[] src, int sw, int sh, int dw, int dh) {
        Taps horizontal = taps(sw, dw);
        Taps vertical = taps(sh, dh);
        // Horizontal pass: [sh][sw] -> [sh][dw] per channel, in float.
        float[] mid = new float[sh * dw * 3];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < dw; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int t = horizontal.start[x]; t < horizontal.start[x + 1]; t++) {
                    int p = src[y * sw + horizontal.index[t]];
                    float wgt = horizontal.weight[t];
                    r += wgt * ((p >> 16) & 0xff);
                    g += wgt * ((p >> 8) & 0xff);
                    b += wgt * (p & 0xff);
                }
                int o = (y * dw + x) * 3;
                mid[o] = r;
                mid[o + 1] = g;
                mid[o + 2] = b;
            }
        }
        // Vertical pass: [sh][dw] -> [dh][dw].
        int[] out = new int[dw * dh];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                float r = 0;
                float g = 0;
                float b = 0;
                for (int t = vertical.start[y]; t < vertical.start[y + 1]; t++) {
                    int o = (vertical.index[t] * dw + x) * 3;
                    float wgt = vertical.weight[t];
                    r += wgt * mid[o];
                    g += wgt * mid[o + 1];
                    b += wgt * mid[o + 2];
                }
                out[y * dw + x] = (to8bit(r) << 16) | (to8bit(g) << 8) | to8bit(b);
            }
        }
        return out;
    }

    private static int to8bit(float v) {
        int i = Math.round(v);
        return i < 0 ? 0 : Math.min(i, 255);
    }

    /** For each output index o, source indices index[start[o]..start[o+1]) with weights summing to 1. */
    record Taps(int[] start, int[] index, float[] weight) {
    }

    static Taps taps(int src, int dst) {
        if (src < 1 || dst < 1) {
            throw new IllegalArgumentException("sizes must be positive, got " + src + " -> " + dst);
        }
        int[] start = new int[dst + 1];
        int max = dst * (src / dst + 2) + 2 * dst;
        int[] index = new int[max];
        float[] weight = new float[max];
        int n = 0;
        double scale = (double) src / dst;
        for (int o = 0; o < dst; o++) {
            start[o] = n;
            if (src == dst) {
                index[n] = o;
                weight[n++] = 1f;
            } else if (src > dst) {
                // Area: output pixel o covers source interval [o*scale, (o+1)*scale).
                double a = o * scale;
                double b = (o + 1) * scale;
                for (int i = (int) Math.floor(a); i < Math.min(src, (int) Math.ceil(b)); i++) {
                    double cover = Math.min(b, i + 1) - Math.max(a, i);
                    if (cover > 1e-9) {
                        index[n] = i;
                        weight[n++] = (float) (cover / scale);
                    }
                }
            } else {
                // Bilinear with pixel centres aligned: output centre o+0.5 maps to source (o+0.5)*scale.
                double s = Math.max(0, Math.min(src - 1, (o + 0.5) * scale - 0.5));
                int i0 = (int) Math.floor(s);
                int i1 = Math.min(i0 + 1, src - 1);
                double f = s - i0;
                index[n] = i0;
                weight[n++] = (float) (1 - f);
                if (i1 != i0 && f > 0) {
                    index[n] = i1;
                    weight[n++] = (float) f;
                }
            }
        }
        start[dst] = n;
        return new Taps(start, java.util.Arrays.copyOf(index, n), java.util.Arrays.copyOf(weight, n));
    }
}
