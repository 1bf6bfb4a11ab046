package dev.t2v.inference.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Clocks and process statistics the benchmark reads: medians, process CPU time, peak RSS, load, memory. */
final class Measure {
    private Measure() {
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /**
     * User + system CPU seconds of the whole process (native BLAS/OpenMP/ORT threads included), from /proc/self/stat
     * in clock ticks of 10 ms; NaN where unavailable.
     */
    static double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime (fields 14, 15)
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The 1, 5 and 15 minute load averages; empty where unavailable. */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[0];
        }
    }

    /** Peak resident set size (VmHWM) of this process in MiB since start or the last {@link #resetPeakRss}; -1 if unknown. */
    static long peakRssMib() {
        return statusKib("VmHWM:") / 1024;
    }

    /** Current resident set size in MiB; -1 if unknown. */
    static long rssMib() {
        return statusKib("VmRSS:") / 1024;
    }

    /**
     * Resets the kernel's peak-RSS mark to the current RSS (Linux &ge; 4.0: writing 5 to /proc/self/clear_refs), so
     * the next {@link #peakRssMib} is the peak of one measurement; false where that is not possible.
     */
    static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** MemAvailable from /proc/meminfo in MiB; -1 if unknown. */
    static long availableMemoryMib() {
        return meminfoKib("MemAvailable:") / 1024;
    }

    static long totalMemoryMib() {
        return meminfoKib("MemTotal:") / 1024;
    }

    private static long statusKib(String key) {
        return fieldKib(Path.of("/proc/self/status"), key);
    }

    private static long meminfoKib(String key) {
        return fieldKib(Path.of("/proc/meminfo"), key);
    }

    private static long fieldKib(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1024;
    }

    /** The CPU model name from /proc/cpuinfo, or os.arch. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    /** Whether the CPU advertises AVX-512 (foundation). */
    static boolean avx512() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .anyMatch(l -> l.startsWith("flags") && Arrays.asList(l.split("\\s+")).contains("avx512f"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
