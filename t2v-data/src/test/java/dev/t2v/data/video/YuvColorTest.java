package dev.t2v.data.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class YuvColorTest {
    @Test
    void limitedRangeBt601MapsBlackWhiteAndPrimariesToTheStandardCodes() {
        // Y, Cb, Cr of BT.601 limited range (ITU-R BT.601 / SMPTE 170M), rounded.
        assertYuv(0x000000, 16, 128, 128);
        assertYuv(0xFFFFFF, 235, 128, 128);
        assertYuv(0xFF0000, 81, 90, 240);
        assertYuv(0x00FF00, 145, 54, 34);
        assertYuv(0x0000FF, 41, 240, 110);
    }

    @Test
    void limitedRangeDecodeMatchesTheDoublePrecisionFormula() {
        YuvColor c = new YuvColor(YuvColor.Matrix.BT601, false);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 2000; i++) {
            int y = rng.nextInt(256);
            int u = rng.nextInt(256);
            int v = rng.nextInt(256);
            int rgb = decode(c, y, u, v);
            double yy = (y - 16) / 219.0;
            double cb = (u - 128) / 224.0;
            double cr = (v - 128) / 224.0;
            double r = yy + 1.402 * cr;
            double b = yy + 1.772 * cb;
            double g = (yy - 0.299 * r - 0.114 * b) / 0.587;
            assertThat((rgb >> 16) & 0xff).isCloseTo(to8(r), org.assertj.core.data.Offset.offset(1));
            assertThat((rgb >> 8) & 0xff).isCloseTo(to8(g), org.assertj.core.data.Offset.offset(1));
            assertThat(rgb & 0xff).isCloseTo(to8(b), org.assertj.core.data.Offset.offset(1));
        }
    }

    @Test
    void fullRangeAndBt709AreHonoured() {
        YuvColor full = new YuvColor(YuvColor.Matrix.BT601, true);
        assertThat(decode(full, 0, 128, 128)).isEqualTo(0x000000);
        assertThat(decode(full, 255, 128, 128)).isEqualTo(0xFFFFFF);
        assertThat(decode(YuvColor.BT601_LIMITED, 0, 128, 128)).isEqualTo(0x000000); // below black clips
        // BT.709 red: Y=63, Cb=102, Cr=240 in limited range.
        int red709 = decode(new YuvColor(YuvColor.Matrix.BT709, false), 63, 102, 240);
        assertThat((red709 >> 16) & 0xff).isGreaterThan(250);
        assertThat((red709 >> 8) & 0xff).isLessThan(4);
        assertThat(red709 & 0xff).isLessThan(4);
        assertThat(YuvColor.Matrix.fromH264(1)).isEqualTo(YuvColor.Matrix.BT709);
        assertThat(YuvColor.Matrix.fromH264(6)).isEqualTo(YuvColor.Matrix.BT601);
        assertThat(YuvColor.Matrix.fromH264(2)).isEqualTo(YuvColor.Matrix.BT601);
    }

    @Test
    void encodeThenDecodeOfFlatColoursIsWithinTwoLevels() {
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 500; i++) {
            int rgb = rng.nextInt(1 << 24);
            int[] px = {rgb, rgb, rgb, rgb};
            byte[] y = new byte[4];
            byte[] u = new byte[1];
            byte[] v = new byte[1];
            YuvColor.BT601_LIMITED.rgbToYuv420(px, 2, 2, y, u, v);
            int[] back = new int[4];
            YuvColor.BT601_LIMITED.yuv420ToRgb(y, 2, u, v, 1, 0, 0, 2, 2, back);
            for (int s = 0; s <= 16; s += 8) {
                assertThat((back[0] >> s) & 0xff).isCloseTo((rgb >> s) & 0xff, org.assertj.core.data.Offset.offset(2));
            }
        }
    }

    private static void assertYuv(int rgb, int y, int u, int v) {
        byte[] yp = new byte[4];
        byte[] up = new byte[1];
        byte[] vp = new byte[1];
        YuvColor.BT601_LIMITED.rgbToYuv420(new int[] {rgb, rgb, rgb, rgb}, 2, 2, yp, up, vp);
        assertThat(yp[0] + 128).as("Y of %06x", rgb).isEqualTo(y);
        assertThat(up[0] + 128).as("Cb of %06x", rgb).isEqualTo(u);
        assertThat(vp[0] + 128).as("Cr of %06x", rgb).isEqualTo(v);
    }

    /** Decodes one unsigned Y/U/V triple via the I420 path. */
    private static int decode(YuvColor c, int y, int u, int v) {
        byte[] frame = {(byte) y, (byte) y, (byte) y, (byte) y, (byte) u, (byte) v};
        int[] rgb = new int[4];
        c.i420ToRgb(frame, 2, 2, rgb);
        return rgb[0];
    }

    private static int to8(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}
