package dev.t2v.data.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Mp4TimestampsTest {
    @TempDir
    Path tmp;

    /** The creation time (version-0 layout) of the first box of {@code type}, found by its fourcc. */
    private static long creationTime(byte[] mp4, String type) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 4; i + 16 < mp4.length; i++) {
            if (mp4[i] == t[0] && mp4[i + 1] == t[1] && mp4[i + 2] == t[2] && mp4[i + 3] == t[3]) {
                return ByteBuffer.wrap(mp4).getInt(i + 8) & 0xffffffffL;
            }
        }
        throw new AssertionError(type + " not found");
    }

    @Test
    void writtenMp4HasNoWallClockTimesSoEqualVideosGiveEqualBytes() throws Exception {
        java.util.List<java.awt.image.BufferedImage> frames = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, 0xff0000);
            frames.add(img);
        }
        Video video = new Video(frames, 8);
        Path a = tmp.resolve("a.mp4");
        Path b = tmp.resolve("b.mp4");
        video.writeMp4(a);
        Thread.sleep(1100); // the muxer's clock has one-second resolution
        video.writeMp4(b);

        byte[] bytes = Files.readAllBytes(a);
        for (String box : new String[] {"mvhd", "tkhd", "mdhd"}) {
            assertThat(creationTime(bytes, box)).as(box).isZero();
        }
        assertThat(bytes).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void rejectsBytesThatAreNotAnMp4() {
        assertThatThrownBy(() -> Mp4Timestamps.zeroed("just some text, no boxes".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
