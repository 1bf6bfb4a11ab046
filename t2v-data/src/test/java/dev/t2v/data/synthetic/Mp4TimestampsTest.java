package dev.t2v.data.synthetic;

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
    void zeroesTheMuxersWallClockTimesAndNothingElse() throws IOException {
        Path f = tmp.resolve("a.mp4");
        SyntheticSet.plan(SyntheticSpec.of(1, 32, 3, 8, 0)).get(0).params().render().writeMp4(f);
        byte[] raw = Files.readAllBytes(f);
        assertThat(creationTime(raw, "mvhd")).isPositive();

        byte[] fixed = Mp4Timestamps.zeroed(raw);

        for (String box : new String[] {"mvhd", "tkhd", "mdhd"}) {
            assertThat(creationTime(fixed, box)).as(box).isZero();
        }
        int differing = 0;
        for (int i = 0; i < raw.length; i++) {
            differing += raw[i] != fixed[i] ? 1 : 0;
        }
        assertThat(fixed).hasSameSizeAs(raw);
        assertThat(differing).isBetween(1, 24);
    }

    @Test
    void rejectsBytesThatAreNotAnMp4() {
        assertThatThrownBy(() -> Mp4Timestamps.zeroed("just some text, no boxes".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
