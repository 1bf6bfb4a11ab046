package dev.t2v.inference.eval.synthetic;

/** Hue (degrees), saturation and value (both [0, 1]) of an RGB colour. */
record Hsv(double hue, double saturation, double value) {
    static Hsv of(int rgb) {
        return of((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
    }

    static Hsv of(double r, double g, double b) {
        double max = Math.max(r, Math.max(g, b));
        double min = Math.min(r, Math.min(g, b));
        double delta = max - min;
        double h;
        if (delta <= 0) {
            h = 0;
        } else if (max == r) {
            h = 60 * (((g - b) / delta) % 6);
        } else if (max == g) {
            h = 60 * ((b - r) / delta + 2);
        } else {
            h = 60 * ((r - g) / delta + 4);
        }
        if (h < 0) {
            h += 360;
        }
        return new Hsv(h, max <= 0 ? 0 : delta / max, max / 255.0);
    }

    /** Angular distance between two hues in degrees, in [0, 180]. */
    static double hueDistance(double a, double b) {
        double d = Math.abs(a - b) % 360;
        return d > 180 ? 360 - d : d;
    }
}
