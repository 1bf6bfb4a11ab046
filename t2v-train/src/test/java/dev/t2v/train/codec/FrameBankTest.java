package dev.t2v.train.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.t2v.data.video.Video;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class FrameBankTest {
    @Test
    void tensorMatchesTheVideosOwnConversion() {
        List<Video> clips = ShapeFrames.clips(2, 3, 32, 4);
        FrameBank bank = FrameBank.of(clips);
        assertThat(bank.count()).isEqualTo(6);
        assertThat(bank.size()).isEqualTo(32);
        INDArray expected = clips.get(1).toTensor();
        assertThat(bank.tensor(3, 6).equalsWithEps(expected, 1e-7)).isTrue();
    }

    @Test
    void cropIsTheMatchingWindowOfTheFrame() {
        FrameBank bank = FrameBank.of(ShapeFrames.clips(1, 2, 32, 5));
        float[] crop = new float[3 * 8 * 8];
        bank.crop(1, 5, 9, 8, crop, 0);
        INDArray window = bank.tensor(1, 2).get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(5, 13),
                NDArrayIndex.interval(9, 17)).dup('c');
        assertThat(crop).containsExactly(window.data().asFloat());
        assertThatThrownBy(() -> bank.crop(0, 30, 0, 8, crop, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void framesMustBeSquareAndOfOneSize() {
        assertThatThrownBy(() -> FrameBank.ofImages(List.of(new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB))))
                .hasMessageContaining("8x4");
        assertThatThrownBy(() -> FrameBank.ofImages(List.of(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB),
                new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB)))).hasMessageContaining("frame 1");
    }

    @Test
    void psnrMapsToPixelsAndComparesWithTheBank() {
        FrameBank bank = FrameBank.of(ShapeFrames.clips(1, 2, 16, 6));
        INDArray exact = bank.tensor(0, 2);
        assertThat(Psnr.perFrame(exact, bank, 0)).containsExactly(Psnr.MAX_DB, Psnr.MAX_DB);
        // every pixel one level off: MSE 1 on the 0..255 scale
        INDArray offByOne = exact.dup();
        for (int f = 0; f < 2; f++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 16; y++) {
                    for (int x = 0; x < 16; x++) {
                        int p = bank.pixel(f, c, y, x);
                        int q = p == 255 ? 254 : p + 1;
                        offByOne.putScalar(new long[] {f, c, y, x}, q / 127.5 - 1);
                    }
                }
            }
        }
        assertThat(Psnr.perFrame(offByOne, bank, 0)[1]).isCloseTo(10 * Math.log10(255 * 255), within(1e-9));
        assertThat(Psnr.fromMse(4.0 / 255 / 255 * 4)).isCloseTo(10 * Math.log10(255.0 * 255 / 4), within(1e-9));
    }
}
