package dev.t2v.inference.bench;

import dev.t2v.core.io.AtomicFiles;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one {@code t2v bench} run measured: the machine, the GEMM ceiling, per-preset forward and training-step times
 * with their GFLOP/s and MFU (achieved / ceiling of the same run), ORT-vs-SameDiff parity, sampling times, notes on
 * what was skipped. JSON field names are snake_case.
 */
public record BenchReport(String date, Machine machine, String flopsConvention, Gemm gemm, List<ModelRow> models,
                          List<SamplingRow> sampling, List<String> notes, double wallSeconds, long peakRssMib) {

    public BenchReport {
        models = List.copyOf(models);
        sampling = List.copyOf(sampling);
        notes = List.copyOf(notes);
    }

    /** Where the run happened. Load averages are (1, 5, 15 min) at the start and the end. */
    public record Machine(String cpu, int cores, boolean avx512, long memoryMib, String os, String java,
                          String threadEnv, String ortProviders, double[] loadStart, double[] loadEnd) {
    }

    /** The GEMM ceiling: the best per-shape median, measured at the start and again at the end of the run. */
    public record Gemm(double ceilingGflops, List<GemmShape> start, List<GemmShape> end) {
    }

    public record GemmShape(String label, int m, int k, int n, double medianMs, double gflops) {
    }

    /**
     * One preset on one backend. Times are medians of the timed runs in ms; {@code forwardCpuMs} is the process CPU
     * time of a run (all threads). Training fields are null when not measured ({@code trainNote} says why); a
     * training step at fewer frames than the forward says so in {@code trainFrames}. Parity is ORT against SameDiff
     * on the same inputs: max |ort - samediff| / max |samediff|, at the bench shape and at batch 1 with F = 1.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelRow(String preset, String backend, int batch, int frames, int textTokens, double forwardGflop,
                           double forwardMs, List<Double> forwardRunsMs, double forwardCpuMs, double forwardGflops,
                           double forwardMfu, Integer trainFrames, Double trainGflop, Double trainMs,
                           List<Double> trainRunsMs, Double trainGflops, Double trainMfu, Double firstTrainStepMs,
                           Double gradientGraphMs,
                           String trainNote, Double parityRelError, Double parityRelErrorF1, Double prepareSeconds,
                           long peakRssMib) {
    }

    /** Generating one video of {@code frames} frames with a sampler: seconds per video and per denoising step. */
    public record SamplingRow(String model, String backend, String sampler, int steps, double guidance, int frames,
                              double secondsPerVideo, double secondsPerStep, String scope) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the bench report", e);
        }
    }

    /** Writes {@link #toJson()} to {@code file} atomically. */
    public void writeJson(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson() + "\n");
    }

    /** The human-readable tables. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "t2v bench %s on %s (%d cores%s, %d MiB), %s; load %s -> %s%n", date,
                machine.cpu(), machine.cores(), machine.avx512() ? ", AVX-512" : "", machine.memoryMib(),
                machine.threadEnv(), load(machine.loadStart()), load(machine.loadEnd())));
        sb.append(String.format(Locale.ROOT, "GEMM ceiling (Nd4j.gemm into a preallocated output): %.1f GFLOP/s%n",
                gemm.ceilingGflops()));
        sb.append("  start: ").append(shapes(gemm.start())).append('\n');
        sb.append("  end:   ").append(shapes(gemm.end())).append('\n');
        sb.append(flopsConvention).append('\n');
        if (!models.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%n%-6s %-8s %5s %3s %7s | %8s %9s %7s %5s | %9s %7s %5s | %9s %9s | %s%n",
                    "preset", "backend", "batch", "F", "GFLOP", "fwd ms", "fwd CPUms", "GFLOP/s", "MFU", "train ms",
                    "GFLOP/s", "MFU", "parity", "parityF1", "peak RSS"));
            for (ModelRow r : models) {
                sb.append(String.format(Locale.ROOT, "%-6s %-8s %5d %3d %7.1f | %8.1f %9.1f %7.1f %4.0f%% | %9s %7s %5s | %9s %9s | %d MiB%n",
                        r.preset(), r.backend(), r.batch(), r.frames(), r.forwardGflop(), r.forwardMs(),
                        r.forwardCpuMs(), r.forwardGflops(), 100 * r.forwardMfu(),
                        r.trainMs() == null ? "-" : String.format(Locale.ROOT, "%.0f", r.trainMs()),
                        r.trainGflops() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.trainGflops()),
                        r.trainMfu() == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * r.trainMfu()),
                        r.parityRelError() == null ? "-" : String.format(Locale.ROOT, "%.1e", r.parityRelError()),
                        r.parityRelErrorF1() == null ? "-" : String.format(Locale.ROOT, "%.1e", r.parityRelErrorF1()),
                        r.peakRssMib()));
                if (r.trainNote() != null) {
                    sb.append("       ").append(r.preset()).append(' ').append(r.backend()).append(" training: ")
                            .append(r.trainNote()).append('\n');
                }
            }
        }
        if (!sampling.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%n%-24s %-8s %-7s %5s %8s %3s | %10s %9s | %s%n", "sampling model",
                    "backend", "sampler", "steps", "guidance", "F", "s/video", "s/step", "scope"));
            for (SamplingRow s : sampling) {
                sb.append(String.format(Locale.ROOT, "%-24s %-8s %-7s %5d %8.1f %3d | %10.2f %9.3f | %s%n", s.model(),
                        s.backend(), s.sampler(), s.steps(), s.guidance(), s.frames(), s.secondsPerVideo(),
                        s.secondsPerStep(), s.scope()));
            }
        }
        for (String n : notes) {
            sb.append("note: ").append(n).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "wall %.0f s, peak RSS %d MiB%n", wallSeconds, peakRssMib));
        return sb.toString();
    }

    private static String shapes(List<GemmShape> shapes) {
        return shapes.stream().map(s -> String.format(Locale.ROOT, "%s [%d,%d]x[%d,%d]^T %.1f", s.label(), s.m(), s.k(),
                s.n(), s.k(), s.gflops())).collect(Collectors.joining(", "));
    }

    private static String load(double[] l) {
        return l.length == 0 ? "?" : String.format(Locale.ROOT, "%.2f %.2f %.2f", l[0], l[1], l[2]);
    }
}
