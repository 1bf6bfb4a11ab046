package dev.t2v.data.video;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A video that cannot be read: missing, empty, truncated or corrupt, or using a codec or feature we do not decode.
 * The message always names the file and the reason; {@link #reason()} is the reason alone.
 */
public class VideoDecodeException extends IOException {
    private final transient Path file;
    private final String reason;

    public VideoDecodeException(Path file, String reason) {
        this(file, reason, null);
    }

    public VideoDecodeException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    public Path file() {
        return file;
    }

    public String reason() {
        return reason;
    }
}
