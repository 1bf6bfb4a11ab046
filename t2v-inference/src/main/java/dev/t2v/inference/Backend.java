package dev.t2v.inference;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The runtimes a {@link DenoiserBackend} can use. */
public enum Backend {
    /** ND4J SameDiff, from the bundle's safetensors weights. */
    SAMEDIFF,
    /** ONNX Runtime, from an export of the weights (CPU, or CUDA with the cuda build); SameDiff is its reference. */
    ORT;

    /** The lower-case name used on the command line: {@code samediff} or {@code ort}. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a flag value (case-insensitive); an unknown name throws, listing the known ones. */
    public static Backend parse(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        for (Backend b : values()) {
            if (b.name().equals(n)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Backend::flagName).collect(Collectors.joining(", ")));
    }
}
