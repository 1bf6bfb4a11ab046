package dev.t2v.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.t2v.core.io.ResourceCache;
import dev.t2v.inference.DemoModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InfoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void printsLibraryVersionsBackendsTheDemoModelAndThreadSettings() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.withAllCommands().run(new String[] {"info"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String s = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(s).as("every part could be read").doesNotContain("unavailable", "unknown");
        String version = "\\s+\\d+\\.\\d+\\.\\d+";
        assertThat(s).containsPattern("(?m)^  ND4J" + version)
                .containsPattern("(?m)^  ONNX Runtime" + version)
                .containsPattern("(?m)^  JCodec" + version);
        assertThat(s).containsPattern("(?m)^  CPU\\s+" + Runtime.getRuntime().availableProcessors() + " cores")
                .containsPattern("(?m)^  ND4J\\s+(Cpu|Cuda)Backend, BLAS ")
                .containsPattern("(?m)^  ND4J kernels\\s+(generic x86|AVX/AVX2|AVX512) build; this CPU could run ")
                .containsPattern("(?m)^  ONNX Runtime\\s+execution providers \\[CPU")
                .containsPattern("(?m)^  CUDA\\s+(present|not present)");
        assertThat(s).contains(ResourceCache.root().toAbsolutePath().toString(), DemoModel.hash(),
                DemoModel.location().toAbsolutePath().toString());
        String waitPolicy = System.getenv("OMP_WAIT_POLICY");
        assertThat(s).containsPattern("(?m)^  OMP_WAIT_POLICY\\s+" + (waitPolicy == null ? "unset" : waitPolicy) + "$")
                .containsPattern("(?m)^  OMP_NUM_THREADS\\s+\\S+")
                .containsPattern("(?m)^  OPENBLAS_NUM_THREADS\\s+\\S+")
                .containsPattern("(?m)^  cores\\s+" + Runtime.getRuntime().availableProcessors())
                .containsPattern("(?m)^  ND4J pools\\s+OpenMP \\d+ threads");
    }

    @Test
    void theCpuLineNamesTheModelAndItsVectorExtensions() throws IOException {
        Path cpuinfo = tmp.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: Test CPU @ 2.0GHz\nflags\t\t: fpu sse4_2 avx avx2 "
                + "fma ht\n\nprocessor\t: 1\nmodel name\t: Test CPU @ 2.0GHz\nflags\t\t: fpu sse4_2 avx avx2 fma ht\n");
        assertThat(InfoCommand.cpu(2, cpuinfo)).isEqualTo("2 cores, Test CPU @ 2.0GHz, features: avx avx2 fma sse4_2");
        assertThat(InfoCommand.cpu(8, tmp.resolve("absent"))).startsWith("8 cores, ");
    }

    @Test
    void aPartThatCannotBeReadSaysWhyInsteadOfFailing() {
        assertThat(InfoCommand.probe(() -> {
            throw new UnsatisfiedLinkError("no jniortcapi in java.library.path");
        })).isEqualTo("unavailable: no jniortcapi in java.library.path");
    }
}
