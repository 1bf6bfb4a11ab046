package dev.t2v.data.onnx;

import java.nio.file.Path;

/**
 * An ONNX model that cannot be used as asked: wrong input/output names, dtypes, ranks or sizes, a file the runtime
 * cannot load, or a run that fails. The message always starts with the model file.
 */
public class OnnxModelException extends RuntimeException {
    private final transient Path file;

    public OnnxModelException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public OnnxModelException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The model file the problem is about. */
    public Path file() {
        return file;
    }
}
