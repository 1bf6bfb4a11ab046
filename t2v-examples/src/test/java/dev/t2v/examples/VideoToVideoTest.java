package dev.t2v.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.t2v.data.video.Video;
import dev.t2v.inference.TinyBundle;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link VideoToVideo} on the tiny bundle, from an init video of another length and shape than the model's. */
class VideoToVideoTest {
    private static final int INIT_FRAMES = 6;
    private static final double INIT_FPS = 12;

    @TempDir
    Path tmp;

    @Test
    void theOutputHasTheInitVideosFrameCountAndRateAtTheModelsSize() throws Exception {
        Path bundle = TinyBundle.write(tmp.resolve("bundle"), 3);
        Path init = tmp.resolve("init.mp4");
        movingSquare(INIT_FRAMES, 80, 48).writeMp4(init);
        Path out = tmp.resolve("v2v.mp4");

        VideoToVideo.main(new String[] {init.toString(), out.toString(), "a blue square moving left", "0.5",
                bundle.toString()});

        Video video = Outputs.readVideo(out);
        assertThat(video.frameCount()).isEqualTo(INIT_FRAMES);
        assertThat(video.fps()).isEqualTo(INIT_FPS);
        assertThat(video.width()).isEqualTo(TinyBundle.SIZE);
        assertThat(video.height()).isEqualTo(TinyBundle.SIZE);
    }

    @Test
    void withoutAnInitVideoAndOutputItExplainsTheUsage() {
        assertThatThrownBy(() -> VideoToVideo.main(new String[] {tmp.resolve("in.mp4").toString()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage: VideoToVideo INIT_VIDEO");
    }

    /** A red square crossing a grey background left to right. */
    private static Video movingSquare(int frames, int width, int height) {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.GRAY);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.RED);
            g.fillRect(8 + i * (width - 32) / frames, height / 2 - 8, 16, 16);
            g.dispose();
            images.add(img);
        }
        return new Video(images, INIT_FPS);
    }
}
