package dev.t2v.inference.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The process's peak resident set size, {@code VmHWM} in {@code /proc/self/status} (Linux only). */
public final class PeakRss {
    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakRss() {
    }

    /** Peak RSS in bytes, or empty where {@code /proc/self/status} has no {@code VmHWM} line. */
    public static OptionalLong bytes() {
        try {
            return parse(Files.readString(STATUS));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** The {@code VmHWM:   1234 kB} value of a status file's text, in bytes. */
    static OptionalLong parse(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmHWM:")) {
                String[] f = line.substring(6).trim().split("\\s+");
                long value = Long.parseLong(f[0]);
                long unit = f.length > 1 && f[1].equalsIgnoreCase("kB") ? 1024 : 1;
                return OptionalLong.of(value * unit);
            }
        }
        return OptionalLong.empty();
    }
}
