package dev.t2v.data.video;

/**
 * Converts between packed RGB and 8-bit Y'CbCr 4:2:0 planes with a given matrix and range.
 *
 * <p>JCodec planes hold {@code value - 128} in each byte; I420 frames from ffmpeg hold unsigned bytes. JCodec labels
 * every H.264 picture YUV420J (full range) whatever the stream says, so the range and matrix come from the stream's
 * SPS, not from JCodec.
 *
 * <p>Chroma is upsampled by replication (each chroma sample covers its 2×2 luma block), as ffmpeg's default
 * {@code yuv420p -> rgb24} conversion does; smoother upsampling would differ from ffmpeg by 25–30 dB at colour
 * edges. Values are rounded; swscale's fast path truncates, so ffmpeg's own rgb24 output is about 1 level darker
 * (at most 3 levels, 44–48 dB apart). Both decoder paths of {@link VideoReader} convert here, so they agree exactly.
 * Downsampling for the encoder averages each 2×2 block.
 */
final class YuvColor {
    /** The Y'CbCr matrices we distinguish; H.264 VUI matrix_coefficients codes map onto them. */
    enum Matrix {
        BT601(0.299, 0.114),
        BT709(0.2126, 0.0722),
        BT2020(0.2627, 0.0593);

        final double kr;
        final double kb;

        Matrix(double kr, double kb) {
            this.kr = kr;
            this.kb = kb;
        }

        /**
         * The matrix for an H.264 matrix_coefficients code. Unspecified (2) and unknown codes fall back to BT.601,
         * as ffmpeg's swscale does for untagged streams.
         */
        static Matrix fromH264(int matrixCoefficients) {
            return switch (matrixCoefficients) {
                case 1 -> BT709;
                case 9, 10 -> BT2020;
                default -> BT601;
            };
        }
    }

    /** The encoder's colour format: limited-range BT.601, which every player assumes for untagged SD video. */
    static final YuvColor BT601_LIMITED = new YuvColor(Matrix.BT601, false);

    private static final int SHIFT = 16;
    private static final int HALF = 1 << (SHIFT - 1);

    final Matrix matrix;
    final boolean fullRange;

    // Decoding: R = ys*(Y-y0) + rv*(V-128), G = ys*(Y-y0) - gu*(U-128) - gv*(V-128), B = ys*(Y-y0) + bu*(U-128).
    private final int yOffset;
    private final int ys;
    private final int rv;
    private final int gu;
    private final int gv;
    private final int bu;
    // Encoding: Y = y0 + (yr R + yg G + yb B), U = 128 + (ur R + ug G + ub B), V = 128 + (vr R + vg G + vb B).
    private final int yr;
    private final int yg;
    private final int yb;
    private final int ur;
    private final int ug;
    private final int ub;
    private final int vr;
    private final int vg;
    private final int vb;

    YuvColor(Matrix matrix, boolean fullRange) {
        this.matrix = matrix;
        this.fullRange = fullRange;
        double kr = matrix.kr;
        double kb = matrix.kb;
        double kg = 1 - kr - kb;
        double yRange = fullRange ? 255 : 219;
        double cRange = fullRange ? 255 : 224;
        yOffset = fullRange ? 0 : 16;
        double one = 1 << SHIFT;
        ys = (int) Math.round(one * 255 / yRange);
        rv = (int) Math.round(one * 255 / cRange * 2 * (1 - kr));
        bu = (int) Math.round(one * 255 / cRange * 2 * (1 - kb));
        gu = (int) Math.round(one * 255 / cRange * 2 * kb * (1 - kb) / kg);
        gv = (int) Math.round(one * 255 / cRange * 2 * kr * (1 - kr) / kg);
        double ry = yRange / 255;
        double rc = cRange / 255;
        yr = (int) Math.round(one * ry * kr);
        yg = (int) Math.round(one * ry * kg);
        yb = (int) Math.round(one * ry * kb);
        ur = (int) Math.round(-one * rc * kr / (2 * (1 - kb)));
        ug = (int) Math.round(-one * rc * kg / (2 * (1 - kb)));
        ub = (int) Math.round(one * rc / 2);
        vr = (int) Math.round(one * rc / 2);
        vg = (int) Math.round(-one * rc * kg / (2 * (1 - kr)));
        vb = (int) Math.round(-one * rc * kb / (2 * (1 - kr)));
    }

    /**
     * Converts RGB pixels ({@code 0xRRGGBB}, row-major, {@code width*height}) to 4:2:0 planes. Width and height must
     * be even; {@code y} holds {@code width*height} bytes, {@code u} and {@code v} a quarter of that each.
     */
    void rgbToYuv420(int[] rgb, int width, int height, byte[] y, byte[] u, byte[] v) {
        int cw = width >> 1;
        for (int cy = 0; cy < height >> 1; cy++) {
            for (int cx = 0; cx < cw; cx++) {
                int o = (2 * cy) * width + 2 * cx;
                int sr = 0;
                int sg = 0;
                int sb = 0;
                for (int k = 0; k < 4; k++) {
                    int oi = o + (k >> 1) * width + (k & 1);
                    int p = rgb[oi];
                    int r = (p >> 16) & 0xff;
                    int g = (p >> 8) & 0xff;
                    int b = p & 0xff;
                    sr += r;
                    sg += g;
                    sb += b;
                    y[oi] = (byte) (clip255(yOffset + ((yr * r + yg * g + yb * b + HALF) >> SHIFT)) - 128);
                }
                // The 2x2 sums carry 2 extra bits; fold them into the fixed-point shift.
                int ci = cy * cw + cx;
                u[ci] = (byte) (clip255(128 + ((ur * sr + ug * sg + ub * sb + (HALF << 2)) >> (SHIFT + 2))) - 128);
                v[ci] = (byte) (clip255(128 + ((vr * sr + vg * sg + vb * sb + (HALF << 2)) >> (SHIFT + 2))) - 128);
            }
        }
    }

    /**
     * Converts the {@code width x height} region at ({@code x0}, {@code y0}) of JCodec 4:2:0 planes (signed bytes,
     * {@code value - 128}) to RGB pixels ({@code 0xRRGGBB}, row-major). The offsets must be even (H.264 crops 4:2:0
     * in units of 2).
     *
     * @param yStride bytes per luma row; chroma rows are {@code cStride} bytes
     */
    void yuv420ToRgb(byte[] y, int yStride, byte[] u, byte[] v, int cStride, int x0, int y0, int width, int height,
            int[] rgb) {
        convert(y, 0, yStride, u, 0, v, 0, cStride, x0, y0, width, height, 0x80, rgb);
    }

    /** Converts a packed I420 frame (unsigned bytes: Y plane, then U, then V; even size) to RGB pixels. */
    void i420ToRgb(byte[] frame, int width, int height, int[] rgb) {
        int luma = width * height;
        int cw = width >> 1;
        int chroma = cw * (height >> 1);
        convert(frame, 0, width, frame, luma, frame, luma + chroma, cw, 0, 0, width, height, 0, rgb);
    }

    /** {@code xor} maps stored bytes to 0..255: 0x80 for JCodec's signed samples, 0 for unsigned ones. */
    private void convert(byte[] y, int yBase, int yStride, byte[] u, int uBase, byte[] v, int vBase, int cStride,
            int x0, int y0, int width, int height, int xor, int[] rgb) {
        for (int row = 0; row < height; row++) {
            int yo = yBase + (y0 + row) * yStride + x0;
            int co = ((y0 + row) >> 1) * cStride + (x0 >> 1);
            int out = row * width;
            for (int x = 0; x < width; x++) {
                int yy = ys * (((y[yo + x] & 0xff) ^ xor) - yOffset);
                int cu = ((u[uBase + co + (x >> 1)] & 0xff) ^ xor) - 128;
                int cv = ((v[vBase + co + (x >> 1)] & 0xff) ^ xor) - 128;
                int r = (yy + rv * cv + HALF) >> SHIFT;
                int g = (yy - gu * cu - gv * cv + HALF) >> SHIFT;
                int b = (yy + bu * cu + HALF) >> SHIFT;
                rgb[out + x] = (clip255(r) << 16) | (clip255(g) << 8) | clip255(b);
            }
        }
    }

    private static int clip255(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    @Override
    public String toString() {
        return matrix + (fullRange ? " full range" : " limited range");
    }
}
