package dev.t2v.inference.ort;

import dev.t2v.inference.Backend;
import dev.t2v.inference.GenerationRequest;
import dev.t2v.inference.TextToVideoPipeline;
import dev.t2v.inference.TinyBundle;
import dev.t2v.data.video.Video;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps ONNX Runtime pinned to a version whose native start-up survives a long JVM command line: 1.29.0 dies with
 * SIGSEGV once the command line passes about 4 KB, which every app with an ordinary class path does. The child JVM
 * here gets an explicit {@code -cp} and a command line over 8 KB, then loads ONNX Runtime and generates with the tiny
 * bundle.
 */
class LongCommandLineTest {
    @TempDir
    Path tmp;

    @Test
    void aJvmWithALongCommandLineLoadsOnnxRuntimeAndGenerates() throws Exception {
        Path bundle = TinyBundle.write(tmp.resolve("bundle"), 3);
        Path out = tmp.resolve("out.mp4");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.awt.headless=true", "-Dt2v.padding=" + "p".repeat(8_500),
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), bundle.toString(), out.toString()));
        assertThat(String.join(" ", cmd).length()).isGreaterThan(8 * 1024);
        Path log = tmp.resolve("child.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("CLASSPATH");
        Process child = pb.start();
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).as("the child finished").isTrue();
        assertThat(child.exitValue()).as("exit code (139 = SIGSEGV); log:%n%s", Files.readString(log)).isZero();
        assertThat(out).isNotEmptyFile();
    }

    /** The child: the tiny bundle on ONNX Runtime, one video to {@code args[1]}. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (TextToVideoPipeline p = TextToVideoPipeline.load(Path.of(args[0]), Backend.ORT)) {
                GenerationRequest request = p.requestBuilder("a red circle moving right").seed(1).build();
                Video video = p.generate(request, null);
                video.writeMp4(Path.of(args[1]));
            }
        }
    }
}
