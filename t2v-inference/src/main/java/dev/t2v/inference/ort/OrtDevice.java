package dev.t2v.inference.ort;

import java.util.Locale;

/** Where ONNX Runtime runs the denoiser. */
public enum OrtDevice {
    /** ONNX Runtime's CPU provider (MLAS), one intra-op thread per core by default. */
    CPU,
    /** The CUDA execution provider of {@code onnxruntime_gpu} (the {@code cuda} Maven profile; CUDA 12 + cuDNN 9). */
    CUDA;

    /** The lower-case name used on the command line: {@code cpu} or {@code cuda}. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code cpu} or {@code cuda} (case-insensitive). */
    public static OrtDevice parse(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        for (OrtDevice d : values()) {
            if (d.name().equals(n)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown device '" + name + "'; expected cpu or cuda");
    }
}
