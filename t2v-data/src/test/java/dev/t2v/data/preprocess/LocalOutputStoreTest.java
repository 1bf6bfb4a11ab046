package dev.t2v.data.preprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalOutputStoreTest {
    @TempDir
    Path tmp;

    @Test
    void aFilePublishedFromAPrivateTempFileGetsTheDefaultPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        var plainFile = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("plain")));
        // The manifest streams through a temp file, which Files.createTempFile makes 0600.
        Path content = Files.createTempFile(tmp, "t2v-manifest-", ".jsonl");
        Files.writeString(content, "{\"clip\":1}\n");
        assumeTrue(!plainFile.equals(Files.getPosixFilePermissions(content)), "a umask that makes new files private");

        OutputStore out = OutputStore.local(tmp.resolve("set"));
        assertThat(out.writeIfChanged("manifest.jsonl", content)).isTrue();

        Path manifest = tmp.resolve("set/manifest.jsonl");
        assertThat(manifest).hasContent("{\"clip\":1}");
        assertThat(Files.getPosixFilePermissions(manifest)).isEqualTo(plainFile);
        assertThat(out.writeIfChanged("manifest.jsonl", content)).as("unchanged content is not rewritten").isFalse();
    }
}
