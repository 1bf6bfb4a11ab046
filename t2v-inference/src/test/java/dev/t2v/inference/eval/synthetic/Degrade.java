package dev.t2v.inference.eval.synthetic;

import dev.t2v.data.video.Video;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Test helper: the kinds of damage a small VAE and a diffusion model do to a clip (blur, noise, colour drift). */
final class Degrade {
    private Degrade() {}

    /** Separable Gaussian blur of every frame, edges clamped. */
    static Video blur(Video v, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        List<BufferedImage> out = new ArrayList<>();
        int w = v.width();
        int h = v.height();
        for (BufferedImage img : v.frames()) {
            int[] px = img.getRGB(0, 0, w, h, null, 0, w);
            double[][] ch = new double[3][w * h];
            for (int i = 0; i < w * h; i++) {
                ch[0][i] = (px[i] >> 16) & 0xff;
                ch[1][i] = (px[i] >> 8) & 0xff;
                ch[2][i] = px[i] & 0xff;
            }
            for (double[] c : ch) {
                convolve(c, w, h, k, radius, true);
                convolve(c, w, h, k, radius, false);
            }
            out.add(image(ch, w, h));
        }
        return new Video(out, v.fps());
    }

    /** One separable pass along rows ({@code alongX}) or columns, edges replicated through a padded line. */
    private static void convolve(double[] c, int w, int h, double[] k, int radius, boolean alongX) {
        int len = alongX ? w : h;
        int lines = alongX ? h : w;
        double[] line = new double[len + 2 * radius];
        for (int l = 0; l < lines; l++) {
            for (int i = -radius; i < len + radius; i++) {
                int j = Math.min(len - 1, Math.max(0, i));
                line[i + radius] = c[alongX ? l * w + j : j * w + l];
            }
            for (int i = 0; i < len; i++) {
                double sum = 0;
                for (int t = 0; t < k.length; t++) {
                    sum += k[t] * line[i + t];
                }
                c[alongX ? l * w + i : i * w + l] = sum;
            }
        }
    }

    /** Independent Gaussian noise of standard deviation {@code sigma} (0–255 scale) on every channel. */
    static Video noise(Video v, double sigma, RandomGenerator rng) {
        List<BufferedImage> out = new ArrayList<>();
        int w = v.width();
        int h = v.height();
        for (BufferedImage img : v.frames()) {
            int[] px = img.getRGB(0, 0, w, h, null, 0, w);
            double[][] ch = new double[3][w * h];
            for (int i = 0; i < w * h; i++) {
                ch[0][i] = ((px[i] >> 16) & 0xff) + sigma * rng.nextGaussian();
                ch[1][i] = ((px[i] >> 8) & 0xff) + sigma * rng.nextGaussian();
                ch[2][i] = (px[i] & 0xff) + sigma * rng.nextGaussian();
            }
            out.add(image(ch, w, h));
        }
        return new Video(out, v.fps());
    }

    /** Scales the colour's distance from grey by {@code saturation} and adds {@code offset} to every channel. */
    static Video colourDrift(Video v, double saturation, double offset) {
        List<BufferedImage> out = new ArrayList<>();
        int w = v.width();
        int h = v.height();
        for (BufferedImage img : v.frames()) {
            int[] px = img.getRGB(0, 0, w, h, null, 0, w);
            double[][] ch = new double[3][w * h];
            for (int i = 0; i < w * h; i++) {
                double r = (px[i] >> 16) & 0xff;
                double g = (px[i] >> 8) & 0xff;
                double b = px[i] & 0xff;
                double grey = (r + g + b) / 3;
                ch[0][i] = grey + (r - grey) * saturation + offset;
                ch[1][i] = grey + (g - grey) * saturation + offset;
                ch[2][i] = grey + (b - grey) * saturation + offset;
            }
            out.add(image(ch, w, h));
        }
        return new Video(out, v.fps());
    }

    private static BufferedImage image(double[][] ch, int w, int h) {
        int[] px = new int[w * h];
        for (int i = 0; i < w * h; i++) {
            px[i] = (clamp(ch[0][i]) << 16) | (clamp(ch[1][i]) << 8) | clamp(ch[2][i]);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, px, 0, w);
        return img;
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
