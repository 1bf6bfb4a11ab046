package dev.t2v.data.video;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ResizeTest {
    @Test
    void halvingAveragesEachTwoByTwoBlock() {
        int[] src = {
            0x000000, 0x040404, 0x100000, 0x300000,
            0x080808, 0x0C0C0C, 0x500000, 0x700000,
            0x0000FF, 0x0000FF, 0x00FF00, 0x00FF00,
            0x0000FF, 0x0000FF, 0x00FF00, 0x00FF00,
        };
        int[] out = Resize.resize(src, 4, 4, 2, 2);
        assertThat(out).containsExactly(0x060606, 0x400000, 0x0000FF, 0x00FF00);
    }

    @Test
    void areaAveragingDoesNotAliasAFineCheckerboard() {
        int n = 64;
        int[] src = new int[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                src[y * n + x] = ((x + y) & 1) == 0 ? 0xFFFFFF : 0x000000;
            }
        }
        // 64 -> 10 is a non-integer factor: every output pixel mixes both colours about equally.
        for (int p : Resize.resize(src, n, n, 10, 10)) {
            assertThat(p & 0xff).isBetween(110, 145);
        }
    }

    @Test
    void upscalingInterpolatesBetweenPixelCentres() {
        // 2 -> 4 columns: centres at -0.25, 0.25, 0.75, 1.25 source pixels, clamped at the edges.
        int[] out = Resize.resize(new int[] {0x000000, 0x000080}, 2, 1, 4, 1);
        assertThat(out).containsExactly(0x000000, 0x000020, 0x000060, 0x000080);
    }

    @Test
    void sameSizeIsACopy() {
        int[] src = {1, 2, 3, 4, 5, 6};
        assertThat(Resize.resize(src, 3, 2, 3, 2)).containsExactly(src);
    }

    @Test
    void centreCropKeepsTheMiddleSquare() {
        BufferedImage img = new BufferedImage(30, 10, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 30; x++) {
            for (int y = 0; y < 10; y++) {
                img.setRGB(x, y, x >= 10 && x < 20 ? 0x00FF00 : 0xFF0000);
            }
        }
        BufferedImage out = Resize.centreCropSquare(img, 5);
        assertThat(out.getWidth()).isEqualTo(5);
        assertThat(out.getHeight()).isEqualTo(5);
        for (int x = 0; x < 5; x++) {
            assertThat(out.getRGB(x, 2) & 0xffffff).isEqualTo(0x00FF00);
        }
    }

    @Test
    void tapWeightsSumToOne() {
        for (int[] sizes : new int[][] {{320, 32}, {240, 17}, {7, 64}, {5, 5}, {3, 2}}) {
            Resize.Taps t = Resize.taps(sizes[0], sizes[1]);
            for (int o = 0; o < sizes[1]; o++) {
                double sum = 0;
                for (int k = t.start()[o]; k < t.start()[o + 1]; k++) {
                    sum += t.weight()[k];
                }
                assertThat(sum).as("%s output %d", java.util.Arrays.toString(sizes), o)
                        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }
}
