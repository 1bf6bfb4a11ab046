package dev.t2v.train.codec;

import dev.t2v.data.video.Video;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test frames like the synthetic set's: one anti-aliased coloured circle, square or triangle moving in a straight line
 * over a dark grey background.
 */
final class ShapeFrames {
    private static final Color[] COLOURS = {
        new Color(230, 40, 40), new Color(40, 200, 60), new Color(50, 90, 230), new Color(240, 220, 40),
        new Color(230, 130, 30), new Color(160, 60, 200), new Color(240, 240, 240),
    };

    private ShapeFrames() {}

    /** {@code clips} clips of {@code frames} frames of {@code size x size}, all drawn from {@code seed}. */
    static List<Video> clips(int clips, int frames, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Video> out = new ArrayList<>();
        for (int c = 0; c < clips; c++) {
            out.add(clip(frames, size, rng.split()));
        }
        return out;
    }

    private static Video clip(int frames, int size, SplittableRandom rng) {
        int shape = rng.nextInt(3);
        Color colour = COLOURS[rng.nextInt(COLOURS.length)];
        int bg = 16 + rng.nextInt(25);
        double s = size * (0.16 + 0.1 * rng.nextDouble());
        double cx = s + rng.nextDouble() * (size - 2 * s);
        double cy = s + rng.nextDouble() * (size - 2 * s);
        double speed = size * 0.03;
        int dir = rng.nextInt(4);
        double dx = dir == 0 ? speed : dir == 1 ? -speed : 0;
        double dy = dir == 2 ? speed : dir == 3 ? -speed : 0;
        List<BufferedImage> out = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(bg, bg, bg));
            g.fillRect(0, 0, size, size);
            g.setColor(colour);
            double x = cx + dx * t;
            double y = cy + dy * t;
            switch (shape) {
                case 0 -> g.fill(new Ellipse2D.Double(x - s / 2, y - s / 2, s, s));
                case 1 -> g.fill(new Rectangle2D.Double(x - s / 2, y - s / 2, s, s));
                default -> g.fillPolygon(new Polygon(
                        new int[] {(int) Math.round(x), (int) Math.round(x - s / 2), (int) Math.round(x + s / 2)},
                        new int[] {(int) Math.round(y - s / 2), (int) Math.round(y + s / 2), (int) Math.round(y + s / 2)},
                        3));
            }
            g.dispose();
            out.add(img);
        }
        return new Video(out, 8);
    }
}
