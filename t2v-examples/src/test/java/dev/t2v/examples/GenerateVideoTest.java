package dev.t2v.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.data.video.Video;
import dev.t2v.inference.TinyBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GenerateVideo} on the tiny bundle (random weights: the output's shape is checked, not its content). */
class GenerateVideoTest {
    @TempDir
    Path tmp;

    @Test
    void writesAnMp4WithTheModelsFrameCountAndSize() throws Exception {
        Path bundle = TinyBundle.write(tmp.resolve("bundle"), 1);
        Path out = tmp.resolve("red.mp4");

        GenerateVideo.main(new String[] {"a red circle moving right", out.toString(), bundle.toString()});

        Video video = Outputs.readVideo(out);
        assertThat(video.frameCount()).isEqualTo(TinyBundle.FRAMES);
        assertThat(video.width()).isEqualTo(TinyBundle.SIZE);
        assertThat(video.height()).isEqualTo(TinyBundle.SIZE);
        assertThat(video.fps()).isEqualTo(TinyBundle.FPS);
    }

    @Test
    void theFixedSeedMakesARerunWriteTheSameBytes() throws Exception {
        Path bundle = TinyBundle.write(tmp.resolve("bundle"), 2);
        Path first = tmp.resolve("first.mp4");
        Path second = tmp.resolve("second.mp4");

        GenerateVideo.main(new String[] {"a blue square moving up", first.toString(), bundle.toString()});
        GenerateVideo.main(new String[] {"a blue square moving up", second.toString(), bundle.toString()});

        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    }
}
