package dev.t2v.inference.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * CLIP's preprocessing against Pillow: the resources {@code clip-preprocess/expected-*.png} are what
 * {@code make_reference.py} (beside them) computes with Pillow's {@code Image.resize(..., BICUBIC)} and CLIP's crop.
 */
class ClipPreprocessTest {
    private static BufferedImage resource(String name) throws IOException {
        try (InputStream in = ClipPreprocessTest.class.getResourceAsStream("clip-preprocess/" + name)) {
            assertThat(in).as(name).isNotNull();
            return ImageIO.read(in);
        }
    }

    @Test
    void theLongSideIsTruncatedAsClipDoes() {
        assertThat(ClipPreprocess.resizedSize(320, 240)).containsExactly(298, 224); // 298.67: not rounded to 299
        assertThat(ClipPreprocess.resizedSize(75, 100)).containsExactly(224, 298);
        assertThat(ClipPreprocess.resizedSize(224, 224)).containsExactly(224, 224);
        assertThat(ClipPreprocess.resizedSize(1920, 1080)).containsExactly(398, 224);
    }

    @Test
    void theCropMarginIsRoundedHalfToEvenAsPythonsRound() {
        assertThat(ClipPreprocess.cropCorner(298, 224)).containsExactly(37, 0);
        assertThat(ClipPreprocess.cropCorner(299, 224)).containsExactly(38, 0); // 37.5 -> 38
        assertThat(ClipPreprocess.cropCorner(225, 224)).containsExactly(0, 0); // 0.5 -> 0
        assertThat(ClipPreprocess.cropCorner(224, 227)).containsExactly(0, 2); // 1.5 -> 2
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"320x240", "321x240", "75x100"})
    void resizeAndCropMatchPillowPixelForPixel(String size) throws IOException {
        BufferedImage input = resource("input-" + size + ".png");
        BufferedImage expected = resource("expected-" + size + ".png");
        assertThat(expected.getWidth()).isEqualTo(224);

        int[] px = ClipPreprocess.resizedAndCropped(input);

        int plane = 224 * 224;
        int maxDiff = 0;
        int differing = 0;
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                int rgb = expected.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    int d = Math.abs(px[c * plane + y * 224 + x] - ((rgb >> (16 - 8 * c)) & 0xff));
                    maxDiff = Math.max(maxDiff, d);
                    differing += d > 0 ? 1 : 0;
                }
            }
        }
        assertThat(maxDiff).as("largest difference from Pillow, %d values differ", differing).isZero();
    }

    @Test
    void pixelValuesAreTheCroppedPixelsNormalisedWithClipsMeanAndStd() throws IOException {
        BufferedImage input = resource("input-320x240.png");
        int[] px = ClipPreprocess.resizedAndCropped(input);
        float[] v = ClipPreprocess.pixelValues(input);
        assertThat(v).hasSize(3 * 224 * 224);
        int plane = 224 * 224;
        for (int c = 0; c < 3; c++) {
            for (int j : new int[] {0, 12345, plane - 1}) {
                double expected = (px[c * plane + j] / 255.0 - ClipPreprocess.MEAN[c]) / ClipPreprocess.STD[c];
                assertThat((double) v[c * plane + j]).isCloseTo(expected, offset(1e-6));
            }
        }
    }

    @Test
    void aDownscaleAveragesOverTheStretchedKernelInsteadOfSampling() {
        // Every third column white, shrunk 3x: each output centre falls on a black column, so a plain 4-tap bicubic
        // gives black; the antialiased kernel averages the three columns to a third of white (Pillow: 85)
        BufferedImage stripes = new BufferedImage(672, 672, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 672; y++) {
            for (int x = 0; x < 672; x++) {
                stripes.setRGB(x, y, x % 3 == 0 ? 0xFFFFFF : 0);
            }
        }
        int[] px = ClipPreprocess.resizedAndCropped(stripes);
        for (int x = 10; x < 214; x++) {
            assertThat(px[100 * 224 + x]).isBetween(80, 90);
        }
    }
}
