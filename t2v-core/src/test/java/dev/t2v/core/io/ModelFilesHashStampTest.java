package dev.t2v.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesHashStampTest {
    @TempDir
    Path dir;

    @Test
    void aStampedHashIsReusedWhileTheFileIsUnchangedAndRecomputedAfterItChanges() throws Exception {
        Path file = Files.writeString(dir.resolve("model.bin"), "abc");
        Path stamps = dir.resolve("stamps");
        String abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assertThat(ModelFiles.sha256(file, stamps)).isEqualTo(abc);

        // Overwrite the stamp: a second lookup must come from it, not from the file's bytes.
        Path stamp;
        try (Stream<Path> s = Files.list(stamps)) {
            stamp = s.findFirst().orElseThrow();
        }
        String fake = "0".repeat(64);
        Files.writeString(stamp, fake, StandardCharsets.US_ASCII);
        assertThat(ModelFiles.sha256(file, stamps)).isEqualTo(fake);

        Files.writeString(file, "abcd"); // another size: another identity
        String abcd = HexFormat.of().formatHex(ModelFiles.newSha256().digest("abcd".getBytes(StandardCharsets.UTF_8)));
        assertThat(ModelFiles.sha256(file, stamps)).isEqualTo(abcd);
        assertThat(ModelFiles.sha256(file)).isEqualTo(abcd);
    }
}
