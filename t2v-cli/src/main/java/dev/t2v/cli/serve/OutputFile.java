package dev.t2v.cli.serve;

import java.util.Optional;

/**
 * The files a finished job has, and the only names {@code /files/{id}/...} answers to: a request names one of these,
 * never a path, so nothing outside a job's directory can be reached.
 */
public enum OutputFile {
    MP4("mp4", "video.mp4", "video/mp4"),
    GIF("gif", "video.gif", "image/gif"),
    SHEET("sheet", "sheet.png", "image/png");

    private final String key;
    private final String fileName;
    private final String contentType;

    OutputFile(String key, String fileName, String contentType) {
        this.key = key;
        this.fileName = fileName;
        this.contentType = contentType;
    }

    /** The key in a job's JSON {@code files} object. */
    public String key() {
        return key;
    }

    public String fileName() {
        return fileName;
    }

    public String contentType() {
        return contentType;
    }

    /** The output with exactly this file name; empty for anything else. */
    public static Optional<OutputFile> byFileName(String name) {
        for (OutputFile f : values()) {
            if (f.fileName.equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
