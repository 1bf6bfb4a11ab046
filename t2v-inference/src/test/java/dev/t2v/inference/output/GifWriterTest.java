package dev.t2v.inference.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.data.video.Ffmpeg;
import dev.t2v.data.video.ImageMetrics;
import dev.t2v.data.video.TestPatterns;
import dev.t2v.data.video.Video;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

class GifWriterTest {
    @TempDir
    Path dir;

    @Test
    void imageIoReadsBackEveryFrameWithLoopAndDelays() throws IOException {
        Video video = TestPatterns.barsGradientsSquare(40, 30, 10, 8);
        Path gif = dir.resolve("clip.gif");
        GifWriter.write(video, gif);

        int totalDelay = 0;
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(10);
            for (int i = 0; i < 10; i++) {
                IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(i)
                        .getAsTree("javax_imageio_gif_image_1.0");
                Node gce = root.getElementsByTagName("GraphicControlExtension").item(0);
                totalDelay += Integer.parseInt(gce.getAttributes().getNamedItem("delayTime").getNodeValue());
                if (i == 0) {
                    IIOMetadataNode app = (IIOMetadataNode) root.getElementsByTagName("ApplicationExtension").item(0);
                    assertThat(app.getAttribute("applicationID")).isEqualTo("NETSCAPE");
                    assertThat((byte[]) app.getUserObject()).containsExactly(1, 0, 0);
                }
                BufferedImage frame = reader.read(i);
                assertThat(frame.getWidth()).isEqualTo(40);
                // The palette is built per frame; the bars and the square need few colours, the gradients many.
                assertThat(ImageMetrics.psnr(video.frames().get(i), toRgb(frame))).isGreaterThan(25);
            }
            reader.dispose();
        }
        // 10 frames at 8 fps last 1.25 s.
        assertThat(totalDelay).isEqualTo(125);
    }

    @Test
    void delaysFollowRoundedCumulativeTime() {
        assertThat(GifWriter.delayCentiseconds(0, 8)).isEqualTo(13);
        assertThat(GifWriter.delayCentiseconds(1, 8)).isEqualTo(12);
        assertThat(GifWriter.delayCentiseconds(0, 10)).isEqualTo(10);
        assertThat(GifWriter.delayCentiseconds(5, 1000)).isEqualTo(1);
    }

    @Test
    void ffprobeReadsTheGif() throws IOException {
        Ffmpeg.assumeAvailable();
        Path gif = dir.resolve("probe.gif");
        GifWriter.write(TestPatterns.barsGradientsSquare(32, 24, 6, 10), gif);

        assertThat(Ffmpeg.probe(gif)).containsEntry("exit", "0").containsEntry("errors", "")
                .containsEntry("codec_name", "gif").containsEntry("nb_read_frames", "6")
                .containsEntry("width", "32").containsEntry("height", "24");
    }

    @Test
    void writeLeavesOnlyTheTargetFile() throws IOException {
        Path gif = dir.resolve("only.gif");
        Files.writeString(gif, "previous");
        GifWriter.write(TestPatterns.barsGradientsSquare(16, 16, 2, 5), gif);

        assertThat(ImageIO.read(gif.toFile())).isNotNull();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(gif);
        }
    }

    private static BufferedImage toRgb(BufferedImage img) {
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(img, 0, 0, null);
        return rgb;
    }
}
