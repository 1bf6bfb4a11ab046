package dev.t2v.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import dev.t2v.core.io.ResourceCache;
import dev.t2v.inference.DemoModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * {@code t2v info}: what a bug report needs. The library versions, the backends and devices the native code sees, the
 * cache and the demo model, and the thread settings in force. A part that cannot be read says why instead of failing
 * the command.
 */
public final class InfoCommand implements Command {
    static final String VERSION = "0.1.0-SNAPSHOT";
    /** The environment variables that size or park the native thread pools (docs/benchmarks.md). */
    static final List<String> THREAD_VARIABLES = List.of("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_NUM_THREADS",
            "OPENBLAS_THREAD_TIMEOUT", "MKL_NUM_THREADS");
    /** The CPU flags that decide which native kernels run fast. */
    private static final Set<String> CPU_FLAGS = Set.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f",
            "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "neon", "asimd");

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "print versions, backends and devices, the cache and demo model, and thread settings";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(CommandLine cmd, CliContext ctx) {
        PrintStream o = ctx.out();
        o.println("t2v " + VERSION);
        o.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ") on "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch"));

        o.println("libraries:");
        row(o, "ND4J", probe(() -> mavenVersion(Nd4j.class, "org.nd4j", "nd4j-api")));
        row(o, "ONNX Runtime", probe(() -> {
            String jar = OrtEnvironment.class.getPackage().getImplementationVersion();
            String nativeLib = OrtEnvironment.getEnvironment().getVersion();
            return jar == null || jar.equals(nativeLib) ? nativeLib : jar + " (native " + nativeLib + ")";
        }));
        row(o, "JCodec", probe(() -> mavenVersion(org.jcodec.api.FrameGrab.class, "org.jcodec", "jcodec")));

        o.println("backends and devices:");
        row(o, "CPU", probe(() -> cpu(Runtime.getRuntime().availableProcessors(), Path.of("/proc/cpuinfo"))));
        row(o, "ND4J", probe(InfoCommand::nd4j));
        row(o, "ND4J kernels", probe(() -> {
            NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
            return levelName(ops.binaryLevel()) + " build; this CPU could run " + levelName(ops.optimalLevel());
        }));
        EnumSet<OrtProvider> providers = providers();
        row(o, "ONNX Runtime", providers == null ? "unavailable" : "execution providers " + providers);
        row(o, "CUDA", providers != null && providers.contains(OrtProvider.CUDA)
                ? "present: ONNX Runtime's CUDA provider (generate --backend ort)"
                : "not present (a CPU build; mvn -Pcuda package builds for CUDA, docs/gpu.md)");

        o.println("files:");
        row(o, "cache", ResourceCache.root().toAbsolutePath() + " (-D" + ResourceCache.CACHE_PROPERTY + ", $"
                + ResourceCache.CACHE_ENV + ", else ~/.cache/t2v)");
        row(o, "demo model", probe(InfoCommand::demoModel));

        o.println("threads:");
        row(o, "cores", Runtime.getRuntime().availableProcessors() + " (available to the JVM)");
        for (String v : THREAD_VARIABLES) {
            String value = System.getenv(v);
            row(o, v, value == null ? "unset" : value);
        }
        row(o, "ND4J pools", probe(() -> {
            Nd4jEnvironment env = Nd4jEnvironment.getEnvironment();
            return "OpenMP " + env.getOmpThreads() + " threads, BLAS " + env.getBlasThreads() + " threads";
        }));
        row(o, "ONNX Runtime", "one intra-op thread per core unless a command sets fewer");
        return Main.OK;
    }

    private static void row(PrintStream o, String label, String value) {
        o.printf(Locale.ROOT, "  %-24s %s%n", label, value);
    }

    /** The value, or why it could not be read: a missing native library must not stop the rest of the report. */
    static String probe(Callable<String> value) {
        try {
            return value.call();
        } catch (Exception | LinkageError e) {
            return "unavailable: " + Main.oneLine(e);
        }
    }

    private static EnumSet<OrtProvider> providers() {
        try {
            return OrtEnvironment.getAvailableProviders();
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /** The version in a jar's Maven metadata, else its manifest's, else "unknown". */
    static String mavenVersion(Class<?> inJar, String groupId, String artifactId) throws IOException {
        String resource = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        ClassLoader loader = inJar.getClassLoader() != null ? inJar.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v.trim();
                }
            }
        }
        String v = inJar.getPackage() == null ? null : inJar.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }

    /** Cores, the model name and the vector extensions the CPU has (from /proc/cpuinfo where there is one). */
    static String cpu(int cores, Path cpuinfo) throws IOException {
        StringBuilder sb = new StringBuilder(cores + " cores");
        if (!Files.isReadable(cpuinfo)) {
            return sb.append(", ").append(System.getProperty("os.arch")).toString();
        }
        String model = null;
        Set<String> flags = new TreeSet<>();
        for (String line : Files.readAllLines(cpuinfo)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (model == null && (key.equals("model name") || key.equals("Model"))) {
                model = value;
            } else if (key.equals("flags") || key.equals("Features")) {
                for (String f : value.split("\\s+")) {
                    if (CPU_FLAGS.contains(f)) {
                        flags.add(f);
                    }
                }
            }
        }
        if (model != null) {
            sb.append(", ").append(model);
        }
        return sb.append(", features: ").append(flags.isEmpty() ? "none of " + new TreeSet<>(CPU_FLAGS)
                : String.join(" ", flags)).toString();
    }

    private static String nd4j() {
        Nd4jEnvironment env = Nd4jEnvironment.getEnvironment();
        List<String> parts = new ArrayList<>();
        parts.add(Nd4j.getBackend().getClass().getSimpleName());
        parts.add("BLAS " + (env.getBlasVendor() == null ? "unknown" : env.getBlasVendor().toLowerCase(Locale.ROOT)));
        if (env.getNumGpus() > 0) {
            parts.add(env.getNumGpus() + " GPU(s)");
        }
        return String.join(", ", parts);
    }

    /** ND4J's names of its native builds (CpuNDArrayFactory's start-up line). */
    static String levelName(int level) {
        return switch (level) {
            case 3 -> "AVX512";
            case 2 -> "AVX/AVX2";
            default -> "generic x86";
        };
    }

    private static String demoModel() throws IOException {
        if (!DemoModel.available()) {
            return "none on the class path";
        }
        Path dir = DemoModel.location();
        boolean extracted = Files.isRegularFile(dir.resolve("model.json"));
        return dir.toAbsolutePath() + (extracted ? "" : " (extracted on first use)") + ", sha256 " + DemoModel.hash()
                + " (of " + DemoModel.MANIFEST.substring(DemoModel.MANIFEST.lastIndexOf('/') + 1) + ")";
    }
}
