package dev.t2v.data.msrvtt;

import java.nio.file.Path;

/**
 * An annotation file (JSON, CSV or TSV) that does not have the expected shape. The message names the file, where in
 * it the problem is (a JSON path such as {@code videos[12].start time}, or {@code line 7}) and what was expected.
 */
public final class AnnotationFormatException extends RuntimeException {
    private final String file;
    private final String location;

    public AnnotationFormatException(String file, String location, String problem) {
        super(file + ": " + location + ": " + problem);
        this.file = file;
        this.location = location;
    }

    public AnnotationFormatException(Path file, String location, String problem) {
        this(file.toString(), location, problem);
    }

    /** The file (or source name) the problem is in. */
    public String file() {
        return file;
    }

    /** The JSON path or line within the file. */
    public String location() {
        return location;
    }
}
