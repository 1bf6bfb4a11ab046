package dev.t2v.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.cli.CommandLine;

/** Typed, bounded reads of flag values; every failure names the flag (exit 2). */
public final class Flags {
    private Flags() {}

    public static String required(CommandLine cmd, String flag) {
        String v = cmd.getOptionValue(flag);
        if (v == null || v.isBlank()) {
            throw new UsageException("--" + flag + " is required");
        }
        return v;
    }

    public static int intIn(CommandLine cmd, String flag, int dflt, int min, int max) {
        String v = cmd.getOptionValue(flag);
        if (v == null) {
            return dflt;
        }
        try {
            int x = Integer.parseInt(v.trim());
            if (x < min || x > max) {
                throw UsageException.badValue(flag, v, "an integer in [" + min + ", " + max + "]");
            }
            return x;
        } catch (NumberFormatException e) {
            throw UsageException.badValue(flag, v, "an integer in [" + min + ", " + max + "]");
        }
    }

    /** The flag's integer, or null when it is not given; the range is for the caller to check. */
    public static Integer integerOrNull(CommandLine cmd, String flag) {
        String v = cmd.getOptionValue(flag);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw UsageException.badValue(flag, v, "an integer");
        }
    }

    /** The flag's finite number, or null when it is not given; the range is for the caller to check. */
    public static Double numberOrNull(CommandLine cmd, String flag) {
        String v = cmd.getOptionValue(flag);
        if (v == null) {
            return null;
        }
        try {
            double x = Double.parseDouble(v.trim());
            if (Double.isFinite(x)) {
                return x;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw UsageException.badValue(flag, v, "a number");
    }

    public static long longValue(CommandLine cmd, String flag, long dflt) {
        String v = cmd.getOptionValue(flag);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw UsageException.badValue(flag, v, "an integer");
        }
    }

    public static double doubleIn(CommandLine cmd, String flag, double dflt, double min, double max) {
        String v = cmd.getOptionValue(flag);
        if (v == null) {
            return dflt;
        }
        String expected = "a number in [" + min + ", " + max + "]";
        try {
            double x = Double.parseDouble(v.trim());
            if (!(x >= min && x <= max)) {
                throw UsageException.badValue(flag, v, expected);
            }
            return x;
        } catch (NumberFormatException e) {
            throw UsageException.badValue(flag, v, expected);
        }
    }

    public static String oneOf(CommandLine cmd, String flag, String dflt, Set<String> allowed) {
        String v = cmd.getOptionValue(flag);
        if (v == null) {
            return dflt;
        }
        String x = v.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(x)) {
            throw UsageException.badValue(flag, v, "one of " + String.join(", ", allowed));
        }
        return x;
    }

    /**
     * The file a command writes when its work is done ({@code generate --out}, {@code evaluate --json}), checked before
     * the work starts, so a long run never ends in a failed write: not a directory, in a folder that exists (it is not
     * created, as a mistyped folder name would otherwise silently scatter results), and a folder where a file can be
     * created (a probe file is created and deleted, which catches read-only mounts and ACLs as well as modes).
     */
    public static Path outputFile(CommandLine cmd, String flag) {
        Path out = Path.of(required(cmd, flag));
        if (Files.isDirectory(out)) {
            throw UsageException.badValue(flag, out.toString(), "a file path (this is a directory)");
        }
        Path folder = out.toAbsolutePath().normalize().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UsageException("--" + flag + ": the folder " + folder + " does not exist (for '" + out
                    + "'); create it first");
        }
        try {
            Files.delete(Files.createTempFile(folder, ".t2v-write-check-", ".tmp"));
        } catch (java.nio.file.FileSystemException e) {
            throw new UsageException("--" + flag + ": cannot write in " + folder + ": " + Main.reason(e));
        } catch (java.io.IOException e) {
            throw new UsageException("--" + flag + ": cannot write in " + folder + ": " + e.getMessage());
        }
        return out;
    }

    /** A path that must already exist. */
    public static Path existing(CommandLine cmd, String flag) {
        Path p = Path.of(required(cmd, flag));
        if (!Files.exists(p)) {
            throw UsageException.badValue(flag, p.toString(), "an existing file or directory");
        }
        return p;
    }
}
