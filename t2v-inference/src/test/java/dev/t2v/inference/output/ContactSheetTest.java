package dev.t2v.inference.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.data.video.Video;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactSheetTest {
    private static final int CAPTION_BAND = 17 + 2 * ContactSheet.CAPTION_PAD;

    @TempDir
    Path dir;

    @Test
    void columnsAreCeilingOfSquareRoot() {
        assertThat(ContactSheet.columnsFor(1)).isEqualTo(1);
        assertThat(ContactSheet.columnsFor(4)).isEqualTo(2);
        assertThat(ContactSheet.columnsFor(5)).isEqualTo(3);
        assertThat(ContactSheet.columnsFor(16)).isEqualTo(4);
        assertThat(ContactSheet.columnsFor(17)).isEqualTo(5);
    }

    @Test
    void sheetHasGridDimensionsAndFramePixelsLandInTheirTiles() throws IOException {
        Video video = numberedFrames(5, 20, 10);
        Path png = dir.resolve("sheet.png");
        ContactSheet.write(video, png, "red cat"); // 7 characters fit in 68 pixels

        BufferedImage sheet = ImageIO.read(png.toFile());
        // 5 frames -> 3 columns x 2 rows of 20x10 tiles with 2-pixel gaps, under one caption line.
        assertThat(sheet.getWidth()).isEqualTo(2 + 3 * 22);
        assertThat(sheet.getHeight()).isEqualTo(CAPTION_BAND + 2 + 2 * 12);
        for (int i = 0; i < 5; i++) {
            int x0 = 2 + (i % 3) * 22;
            int y0 = CAPTION_BAND + 2 + (i / 3) * 12;
            assertThat(sheet.getRGB(x0 + 7, y0 + 3) & 0xffffff).as("frame %d", i)
                    .isEqualTo(video.frames().get(i).getRGB(7, 3) & 0xffffff);
        }
        // The unused sixth tile stays background.
        assertThat(sheet.getRGB(2 + 2 * 22 + 5, CAPTION_BAND + 2 + 12 + 5) & 0xffffff)
                .isEqualTo(ContactSheet.BACKGROUND);
    }

    @Test
    void captionIsDrawnInTheBandAboveTheGrid() {
        Video video = numberedFrames(4, 64, 32);
        BufferedImage withText = ContactSheet.render(video, "HELLO");
        BufferedImage blank = ContactSheet.render(video, " ");

        assertThat(blank.getHeight()).isEqualTo(withText.getHeight() - CAPTION_BAND);
        int lit = 0;
        for (int y = 0; y < CAPTION_BAND; y++) {
            for (int x = 0; x < withText.getWidth(); x++) {
                if ((withText.getRGB(x, y) & 0xff) > 200) {
                    lit++;
                }
            }
        }
        assertThat(lit).isGreaterThan(20);
    }

    @Test
    void longCaptionsWrapToTheSheetWidth() {
        Video video = numberedFrames(1, 40, 20);
        String caption = "a small green triangle slowly moves from the left edge to the right edge";
        List<String> lines = ContactSheet.wrap(caption, 44);

        assertThat(lines).hasSizeGreaterThan(3).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(4));
        assertThat(String.join(" ", ContactSheet.wrap(caption, 400))).isEqualTo(caption);
        assertThat(ContactSheet.render(video, caption).getHeight())
                .isEqualTo(lines.size() * 17 + 2 * ContactSheet.CAPTION_PAD + 2 + 22);
    }

    @Test
    void writeIsAtomic() throws IOException {
        Path png = dir.resolve("s.png");
        ContactSheet.write(numberedFrames(2, 8, 8), png, null);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(png);
        }
    }

    /** Frame i is filled with a colour that encodes i, with a distinct pixel at (7,3). */
    private static Video numberedFrames(int n, int w, int h) {
        List<BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.setRGB(x, y, (40 * i) << 16 | 0x3000 | (x * 255 / w));
                }
            }
            img.setRGB(7, 3, 0xFF0000 | (i * 50));
            frames.add(img);
        }
        return new Video(frames, 8);
    }
}
