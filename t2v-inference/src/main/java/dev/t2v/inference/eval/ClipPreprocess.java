package dev.t2v.inference.eval;

import java.awt.image.BufferedImage;

/**
 * CLIP's image preprocessing, as OpenAI's {@code clip.load} does it (torchvision on a PIL image): resize so the short
 * side is 224 and the long side {@code int(224 * long / short)} (truncated), with Pillow's antialiased bicubic filter;
 * centre-crop 224 × 224 at {@code round((size - 224) / 2)} (half to even, as Python's {@code round}); scale to [0, 1]
 * and normalise with CLIP's mean and std.
 *
 * <p>The resize is Pillow's {@code ImagingResample} for 8-bit images, integer for integer: a separable convolution,
 * horizontal pass first, each pass rounded to 8 bits; the bicubic kernel ({@code a = -0.5}, support 2) is stretched by
 * the downscale factor, its weights normalised to sum 1 and held as 22-bit fixed point. A model scored on other
 * pixels than it was trained on loses a few CLIPSIM points; this matches Pillow's output exactly
 * ({@code ClipPreprocessTest}).
 */
public final class ClipPreprocess {
    /** The side of CLIP's input. */
    public static final int SIZE = 224;
    /** CLIP's pixel normalisation (OpenAI's training statistics), per RGB channel. */
    public static final double[] MEAN = {0.48145466, 0.4578275, 0.40821073};
    public static final double[] STD = {0.26862954, 0.26130258, 0.27577711};

    /** Pillow's {@code PRECISION_BITS} for 8-bit images: 32 - 8 - 2. */
    private static final int PRECISION_BITS = 22;

    private ClipPreprocess() {
    }

    /** The size {@code width x height} is resized to before the crop: {@code {newWidth, newHeight}}. */
    public static int[] resizedSize(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
        int newLong = (int) ((double) SIZE * longSide / shortSide); // Python's int(224 * long / short)
        return width <= height ? new int[] {SIZE, newLong} : new int[] {newLong, SIZE};
    }

    /** The top-left corner of the centre crop of a {@code width x height} image: {@code {left, top}}. */
    public static int[] cropCorner(int width, int height) {
        return new int[] {(int) Math.rint((width - SIZE) / 2.0), (int) Math.rint((height - SIZE) / 2.0)};
    }

    /** The 224 × 224 8-bit RGB image CLIP sees, before normalisation: planar {@code [3][224][224]}, values 0–255. */
    public static int[] resizedAndCropped(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] size = resizedSize(w, h);
        int nw = size[0];
        int nh = size[1];
        int[] corner = cropCorner(nw, nh);
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        int plane = SIZE * SIZE;
        int[] out = new int[3 * plane];
        int[] channel = new int[w * h];
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            for (int i = 0; i < channel.length; i++) {
                channel[i] = (argb[i] >> shift) & 0xff;
            }
            int[] resized = resize(channel, w, h, nw, nh);
            for (int y = 0; y < SIZE; y++) {
                System.arraycopy(resized, (y + corner[1]) * nw + corner[0], out, c * plane + y * SIZE, SIZE);
            }
        }
        return out;
    }

    /** CLIP's input for one image: {@code [3][224][224]} floats, normalised with {@link #MEAN} and {@link #STD}. */
    public static float[] pixelValues(BufferedImage img) {
        int[] px = resizedAndCropped(img);
        int plane = SIZE * SIZE;
        float[] out = new float[px.length];
        for (int c = 0; c < 3; c++) {
            for (int j = 0; j < plane; j++) {
                out[c * plane + j] = (float) ((px[c * plane + j] / 255.0 - MEAN[c]) / STD[c]);
            }
        }
        return out;
    }

    /** One 8-bit channel {@code [h][w]} resized to {@code [nh][nw]} as Pillow does: horizontal pass, then vertical. */
    static int[] resize(int[] src, int w, int h, int nw, int nh) {
        int[] cur = src;
        if (nw != w) {
            Taps t = taps(w, nw);
            int[] out = new int[h * nw];
            for (int y = 0; y < h; y++) {
                int row = y * w;
                for (int x = 0; x < nw; x++) {
                    int acc = 1 << (PRECISION_BITS - 1);
                    int k0 = x * t.size;
                    for (int i = 0; i < t.count[x]; i++) {
                        acc += cur[row + t.first[x] + i] * t.weights[k0 + i];
                    }
                    out[y * nw + x] = clip8(acc);
                }
            }
            cur = out;
        }
        if (nh != h) {
            Taps t = taps(h, nh);
            int[] out = new int[nh * nw];
            for (int y = 0; y < nh; y++) {
                int k0 = y * t.size;
                for (int x = 0; x < nw; x++) {
                    int acc = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < t.count[y]; i++) {
                        acc += cur[(t.first[y] + i) * nw + x] * t.weights[k0 + i];
                    }
                    out[y * nw + x] = clip8(acc);
                }
            }
            cur = out;
        }
        return cur;
    }

    /** Per output pixel: the first source pixel, how many are used, and their fixed-point weights. */
    private record Taps(int size, int[] first, int[] count, int[] weights) {
    }

    /** Pillow's {@code precompute_coeffs} with the bicubic filter, then {@code normalize_coeffs_8bpc}. */
    private static Taps taps(int in, int out) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = 2.0 * filterScale;
        double ss = 1.0 / filterScale; // a product by the reciprocal, as Pillow: a quotient can differ in the last bit
        int size = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[out];
        int[] count = new int[out];
        int[] weights = new int[out * size];
        double[] k = new double[size];
        for (int o = 0; o < out; o++) {
            double centre = (o + 0.5) * scale;
            int xmin = Math.max(0, (int) (centre - support + 0.5)); // C's truncating casts
            int xmax = Math.min(in, (int) (centre + support + 0.5)) - xmin;
            double sum = 0;
            for (int x = 0; x < xmax; x++) {
                k[x] = bicubic((x + xmin - centre + 0.5) * ss);
                sum += k[x];
            }
            for (int x = 0; x < xmax; x++) {
                double v = sum != 0 ? k[x] / sum : k[x];
                weights[o * size + x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
            }
            first[o] = xmin;
            count[o] = xmax;
        }
        return new Taps(size, first, count, weights);
    }

    /** Keys' cubic convolution kernel with {@code a = -0.5}, as Pillow's {@code bicubic_filter}. */
    static double bicubic(double x) {
        double a = -0.5;
        x = Math.abs(x);
        if (x < 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        if (x < 2) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0;
    }

    private static int clip8(int v) {
        if (v >= (1 << PRECISION_BITS << 8)) {
            return 255;
        }
        if (v <= 0) {
            return 0;
        }
        return v >> PRECISION_BITS;
    }
}
