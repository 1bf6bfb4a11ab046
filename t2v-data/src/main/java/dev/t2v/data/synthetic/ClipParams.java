package dev.t2v.data.synthetic;

import dev.t2v.data.video.Video;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Everything that fixes one clip's pixels: the shape, its nominal size s, where its bounding box is centred on the
 * first frame, its speed, the background grey and the shape colour. {@link #render()} draws it anti-aliased
 * (k×k supersampled coverage, blended over the background).
 *
 * @param startX bounding-box centre x on frame 0, pixels (x grows right)
 * @param startY bounding-box centre y on frame 0, pixels (y grows down)
 * @param speed pixels per frame along {@code combo.direction()}
 * @param background grey level 0–255 of the whole background
 * @param rgb shape colour {@code 0xRRGGBB}
 */
public record ClipParams(
        Combo combo,
        int frameSize,
        int frames,
        double fps,
        double shapeSize,
        double startX,
        double startY,
        double speed,
        int background,
        int rgb,
        int supersample) {

    public ClipParams {
        Objects.requireNonNull(combo, "combo");
        if (frameSize < 8 || frames < 1 || !(fps > 0) || !(shapeSize > 0) || !(speed >= 0) || supersample < 1) {
            throw new IllegalArgumentException("bad clip parameters: size " + frameSize + ", frames " + frames + ", fps "
                    + fps + ", shape " + shapeSize + ", speed " + speed + ", supersample " + supersample);
        }
        if (background < 0 || background > 255) {
            throw new IllegalArgumentException("background must be a grey level in [0, 255], got " + background);
        }
    }

    /** Draws a clip of {@code combo} within {@code spec}'s size and style ranges, fully inside the frame throughout. */
    public static ClipParams draw(Combo combo, SyntheticSpec spec, RandomGenerator rng) {
        ClipStyle st = spec.style();
        int n = spec.size();
        double s = n * uniform(rng, st.minShape(), st.maxShape());
        double margin = Math.max(2, st.margin() * n);
        double hw = combo.shape().halfWidth() * s;
        double hh = combo.shape().halfHeight() * s;
        // Range of bounding-box centres that keep the shape margin pixels inside the frame.
        double loX = margin + hw;
        double hiX = n - margin - hw;
        double loY = margin + hh;
        double hiY = n - margin - hh;
        boolean horizontal = combo.direction().dx() != 0;
        double room = horizontal ? hiX - loX : hiY - loY;
        double speed = n * uniform(rng, st.minSpeed(), st.maxSpeed());
        if (spec.frames() > 1) {
            speed = Math.min(speed, room / (spec.frames() - 1));
        }
        double travel = speed * (spec.frames() - 1);
        // Along the motion axis the start leaves room for the whole travel; across it any position is fine.
        double along = uniform(rng, 0, room - travel);
        double x;
        double y;
        if (horizontal) {
            x = combo.direction().dx() > 0 ? loX + along : hiX - along;
            y = uniform(rng, loY, hiY);
        } else {
            y = combo.direction().dy() > 0 ? loY + along : hiY - along;
            x = uniform(rng, loX, hiX);
        }
        int bg = st.minBackground() + rng.nextInt(st.maxBackground() - st.minBackground() + 1);
        double gain = 1 - uniform(rng, 0, st.brightnessJitter());
        int base = combo.colour().rgb();
        int r = (int) Math.round(((base >> 16) & 0xff) * gain);
        int g = (int) Math.round(((base >> 8) & 0xff) * gain);
        int b = (int) Math.round((base & 0xff) * gain);
        return new ClipParams(combo, n, spec.frames(), spec.fps(), s, x, y, speed, bg, (r << 16) | (g << 8) | b,
                st.supersample());
    }

    private static double uniform(RandomGenerator rng, double lo, double hi) {
        return hi <= lo ? lo : lo + (hi - lo) * rng.nextDouble();
    }

    /** Bounding-box centre x on frame {@code t}. */
    public double centreX(int t) {
        return startX + combo.direction().dx() * speed * t;
    }

    /** Bounding-box centre y on frame {@code t}. */
    public double centreY(int t) {
        return startY + combo.direction().dy() * speed * t;
    }

    /** The clip's frames. */
    public Video render() {
        List<BufferedImage> out = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) {
            out.add(renderFrame(t));
        }
        return new Video(out, fps);
    }

    BufferedImage renderFrame(int t) {
        int n = frameSize;
        int bgRgb = (background << 16) | (background << 8) | background;
        int[] px = new int[n * n];
        java.util.Arrays.fill(px, bgRgb);
        Shape shape = combo.shape();
        double cx = centreX(t);
        double cy = centreY(t);
        double hw = shape.halfWidth() * shapeSize;
        double hh = shape.halfHeight() * shapeSize;
        int x0 = Math.max(0, (int) Math.floor(cx - hw));
        int x1 = Math.min(n - 1, (int) Math.ceil(cx + hw));
        int y0 = Math.max(0, (int) Math.floor(cy - hh));
        int y1 = Math.min(n - 1, (int) Math.ceil(cy + hh));
        int k = supersample;
        double step = 1.0 / k;
        int fr = (rgb >> 16) & 0xff;
        int fg = (rgb >> 8) & 0xff;
        int fb = rgb & 0xff;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int inside = 0;
                for (int j = 0; j < k; j++) {
                    double sy = y + (j + 0.5) * step;
                    for (int i = 0; i < k; i++) {
                        if (shape.contains(x + (i + 0.5) * step, sy, cx, cy, shapeSize)) {
                            inside++;
                        }
                    }
                }
                if (inside > 0) {
                    double a = inside / (double) (k * k);
                    px[y * n + x] = (blend(background, fr, a) << 16) | (blend(background, fg, a) << 8) | blend(background, fb, a);
                }
            }
        }
        BufferedImage img = new BufferedImage(n, n, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, n, n, px, 0, n);
        return img;
    }

    private static int blend(int bg, int fg, double a) {
        return (int) Math.round(bg + (fg - bg) * a);
    }
}
