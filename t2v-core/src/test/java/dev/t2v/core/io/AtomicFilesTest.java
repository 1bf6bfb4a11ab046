package dev.t2v.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link AtomicFiles} writes gets the permissions any new file or folder gets under the umask, not 0600/0700. */
class AtomicFilesTest {
    @TempDir
    Path tmp;
    private Set<PosixFilePermission> plainFile;
    private Set<PosixFilePermission> plainDir;

    @BeforeEach
    void umaskDefaults() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        plainFile = Files.getPosixFilePermissions(Files.createFile(tmp.resolve("plain-file")));
        plainDir = Files.getPosixFilePermissions(Files.createDirectory(tmp.resolve("plain-dir")));
        // Under umask 077 a private temp file looks like any other: nothing to tell apart, so nothing to test.
        assumeTrue(!plainFile.equals(Files.getPosixFilePermissions(Files.createTempFile(tmp, "t", ".tmp"))),
                "a umask that makes new files private");
    }

    @Test
    void aWrittenFileGetsTheSamePermissionsAsAnyNewFile() throws IOException {
        Path written = AtomicFiles.writeString(tmp.resolve("out/model.json"), "{}");
        assertThat(Files.getPosixFilePermissions(written)).isEqualTo(plainFile);
        assertThat(Files.getPosixFilePermissions(written.getParent())).isEqualTo(plainDir);
    }

    @Test
    void aFileWrittenByPathGetsTheSamePermissionsAsAnyNewFile() throws IOException {
        Path written = AtomicFiles.writeVia(tmp.resolve("weights.bin"),
                t -> Files.write(t, "w".getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.getPosixFilePermissions(written)).isEqualTo(plainFile);
    }

    @Test
    void aStageDirectoryGetsTheSamePermissionsAsAnyNewFolder() throws IOException {
        Path stage = AtomicFiles.newStageDirectory(tmp.resolve("runs"), ".model.tmp-");
        assertThat(stage.getParent()).isEqualTo(tmp.resolve("runs"));
        assertThat(stage.getFileName().toString()).startsWith(".model.tmp-");
        assertThat(Files.getPosixFilePermissions(stage)).isEqualTo(plainDir);
        try (Stream<Path> s = Files.list(stage)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void twoStageDirectoriesWithOnePrefixAreDistinct() throws IOException {
        assertThat(AtomicFiles.newStageDirectory(tmp, ".x-")).isNotEqualTo(AtomicFiles.newStageDirectory(tmp, ".x-"));
    }
}
