package dev.t2v.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The CLI has a real SLF4J binding, quiet by default (no "no binding" warning, no INFO lines), louder with --verbose. */
class LoggingTest {
    @TempDir
    Path tmp;

    @Test
    void slf4jIsBoundToTheSimpleLoggerAtWarnings() {
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).isEqualTo("org.slf4j.impl.SimpleLoggerFactory");
        Logger nd4j = LoggerFactory.getLogger("org.nd4j.linalg.factory.Nd4jBackend");
        assertThat(nd4j.isWarnEnabled()).isTrue();
        assertThat(nd4j.isInfoEnabled()).isFalse();
    }

    @Test
    void verboseIsAcceptedByEveryCommand() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertThat(Main.withAllCommands().run(new String[] {"info", "--verbose"}, quiet,
                new PrintStream(err, true, StandardCharsets.UTF_8))).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(Main.withAllCommands().run(new String[] {"generate", "--help", "--verbose"}, quiet, quiet)).isZero();
    }

    @Test
    void aCommandPrintsNoSlf4jWarningAndVerboseShowsTheLibrariesInformation() throws Exception {
        // generate loads everything that logs: ND4J, ONNX Runtime, DJL's tokenizer (which warns about a missing GPU).
        Child quiet = t2v("generate", "--prompt", "a red circle", "--out", tmp.resolve("x.gif").toString(),
                "--steps", "1");
        assertThat(quiet.exit()).as(quiet.stderr()).isZero();
        assertThat(quiet.stdout()).contains("wrote");
        assertThat(quiet.stderr()).as("stderr of t2v generate").doesNotContain("SLF4J:", "INFO ", "WARN ");

        Child verbose = t2v("info", "--verbose");
        assertThat(verbose.exit()).as(verbose.stderr()).isZero();
        assertThat(verbose.stdout()).contains("ND4J");
        assertThat(verbose.stderr()).doesNotContain("SLF4J:").contains("INFO Nd4jBackend");
    }

    private record Child(int exit, String stdout, String stderr) {
    }

    /** {@code t2v args} in a fresh JVM, since slf4j-simple reads its levels once per JVM. */
    private Child t2v(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Djava.awt.headless=true"));
        String cache = System.getProperty("t2v.cache");
        if (cache != null) {
            cmd.add("-Dt2v.cache=" + cache);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("out-" + args[0] + ".txt");
        Path err = tmp.resolve("err-" + args[0] + ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("CLASSPATH");
        Process p = pb.start();
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("t2v info finished").isTrue();
        return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
