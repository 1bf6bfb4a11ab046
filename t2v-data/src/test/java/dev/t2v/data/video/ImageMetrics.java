package dev.t2v.data.video;

import java.awt.image.BufferedImage;

/** Image comparison for tests. */
public final class ImageMetrics {
    private ImageMetrics() {
    }

    /** PSNR in dB over the R, G and B channels; 99 when the images are identical. */
    public static double psnr(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException("sizes differ: " + a.getWidth() + "x" + a.getHeight() + " vs "
                    + b.getWidth() + "x" + b.getHeight());
        }
        double se = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int s = 0; s <= 16; s += 8) {
                    int d = ((p >> s) & 0xff) - ((q >> s) & 0xff);
                    se += d * d;
                }
            }
        }
        if (se == 0) {
            return 99;
        }
        double mse = se / (3.0 * a.getWidth() * a.getHeight());
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
