package dev.t2v.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void aRepeatedFlagExitsTwoNamingIt() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        int code = Main.withAllCommands().run(new String[] {"synth", "--out", "a", "--videos", "2", "--videos", "3"},
                quiet, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("t2v synth: --videos is given more than once");
    }

    @Test
    void fileSystemFailuresSayWhyNotOnlyThePath() {
        assertThat(Main.oneLine(new AccessDeniedException("/root-owned/run")))
                .isEqualTo("/root-owned/run: Permission denied");
        assertThat(Main.oneLine(new UncheckedIOException(new NoSuchFileException("/gone"))))
                .isEqualTo("/gone: No such file or directory");
        assertThat(Main.oneLine(new FileSystemException("/x", null, "Read-only file system")))
                .isEqualTo("/x: Read-only file system");
        assertThat(Main.oneLine(new IOException("plain"))).isEqualTo("plain");
    }
}
