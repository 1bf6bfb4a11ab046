package dev.t2v.train.codec;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Peak signal-to-noise ratio of reconstructed frames, on the 0..255 pixel scale. */
public final class Psnr {
    /** A perfect reconstruction would be infinitely many dB; it counts as this much so means stay finite. */
    public static final double MAX_DB = 100;

    private Psnr() {}

    /** PSNR in dB for a mean squared error measured on values in [-1, 1] (where the peak-to-peak range is 2). */
    public static double fromMse(double mseUnit) {
        return mseUnit <= 0 ? MAX_DB : Math.min(MAX_DB, 10 * Math.log10(4 / mseUnit));
    }

    /**
     * Per-frame PSNR of {@code recon [n,3,S,S]} (values in about [-1, 1]) against frames {@code [first, first+n)} of
     * {@code reference}. The reconstruction is mapped to pixels as a video writer would: clamped to [-1, 1], scaled to
     * 0..255 and rounded.
     */
    public static double[] perFrame(INDArray recon, FrameBank reference, int first) {
        int s = reference.size();
        if (recon.rank() != 4 || recon.size(1) != 3 || recon.size(2) != s || recon.size(3) != s) {
            throw new IllegalArgumentException("reconstruction must be [n,3," + s + "," + s + "], got "
                    + java.util.Arrays.toString(recon.shape()));
        }
        int n = (int) recon.size(0);
        float[] v = recon.castTo(DataType.FLOAT).dup('c').data().asFloat();
        double[] out = new double[n];
        int per = 3 * s * s;
        for (int f = 0; f < n; f++) {
            double sse = 0;
            int i = f * per;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        float u = v[i++];
                        float clamped = Float.isNaN(u) ? 0f : Math.max(-1f, Math.min(1f, u));
                        int p = Math.round((clamped + 1f) * 127.5f);
                        int e = p - reference.pixel(first + f, c, y, x);
                        sse += e * e;
                    }
                }
            }
            double mse = sse / per;
            out[f] = mse == 0 ? MAX_DB : Math.min(MAX_DB, 10 * Math.log10(255.0 * 255.0 / mse));
        }
        return out;
    }
}
