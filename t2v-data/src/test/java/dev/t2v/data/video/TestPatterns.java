package dev.t2v.data.video;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Synthetic test videos with content that exposes colour, range and motion errors. */
public final class TestPatterns {
    private static final int[] BARS = {0xC0C0C0, 0xC0C000, 0x00C0C0, 0x00C000, 0xC000C0, 0xC00000, 0x0000C0, 0x101010};

    private TestPatterns() {
    }

    /**
     * Colour bars (top third), a horizontal grey ramp (middle third), an RGB gradient (bottom third) and a white
     * square moving diagonally by 2 pixels per frame.
     */
    public static Video barsGradientsSquare(int width, int height, int frames, double fps) {
        List<BufferedImage> out = new ArrayList<>(frames);
        int square = Math.max(4, Math.min(width, height) / 6);
        for (int f = 0; f < frames; f++) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    img.setRGB(x, y, background(x, y, width, height));
                }
            }
            int sx = (2 * f) % Math.max(1, width - square);
            int sy = (2 * f) % Math.max(1, height - square);
            for (int y = sy; y < sy + square; y++) {
                for (int x = sx; x < sx + square; x++) {
                    img.setRGB(x, y, 0xF0F0F0);
                }
            }
            out.add(img);
        }
        return new Video(out, fps);
    }

    private static int background(int x, int y, int w, int h) {
        if (y < h / 3) {
            return BARS[Math.min(BARS.length - 1, x * BARS.length / w)];
        }
        if (y < 2 * h / 3) {
            int g = 16 + x * 220 / Math.max(1, w - 1);
            return (g << 16) | (g << 8) | g;
        }
        int r = x * 255 / Math.max(1, w - 1);
        int b = (y - 2 * h / 3) * 255 / Math.max(1, h - 2 * h / 3 - 1);
        return (r << 16) | (128 << 8) | b;
    }

    /** A red 30-pixel square moving right by 8 pixels a frame on a dark blue background, at 8 fps. */
    public static Video movingSquare(int frames, int width, int height) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(30, 40, 60));
            g.fillRect(0, 0, width, height);
            g.setColor(new Color(220, 40, 40));
            g.fillRect(10 + 8 * i, 20, 30, 30);
            g.dispose();
            out.add(img);
        }
        return new Video(out, 8);
    }
}
