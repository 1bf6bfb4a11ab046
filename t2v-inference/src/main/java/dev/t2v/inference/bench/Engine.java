package dev.t2v.inference.bench;

import java.util.Locale;

/** The denoiser runtimes the benchmark times. */
public enum Engine {
    SAMEDIFF, ORT;

    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Engine parse(String s) {
        String n = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
        for (Engine e : values()) {
            if (e.name().equals(n)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + s + "'; expected samediff or ort");
    }
}
