package dev.t2v.data.preprocess;

/**
 * A video that preprocessing skipped, as listed in {@code bad-videos.tsv}.
 *
 * @param videoId the annotation's video id
 * @param path the file, relative to the data directory ({@code -} when no file was found)
 * @param reason why, on one line
 */
public record BadVideo(String videoId, String path, String reason) {
    public BadVideo {
        if (videoId == null || videoId.isBlank()) {
            throw new IllegalArgumentException("videoId must be non-empty");
        }
        path = oneField(path == null || path.isBlank() ? "-" : path);
        reason = oneField(reason == null || reason.isBlank() ? "unknown error" : reason);
    }

    /** Tabs and line breaks would break the TSV. */
    private static String oneField(String s) {
        return s.replaceAll("[\\t\\r\\n]+", " ").strip();
    }

    /** The TSV row, without a newline. */
    public String toTsv() {
        return videoId + "\t" + path + "\t" + reason;
    }

    /** Parses a row written by {@link #toTsv()}. */
    public static BadVideo parse(String line) {
        String[] f = line.split("\t", 3);
        if (f.length != 3) {
            throw new IllegalArgumentException("expected video_id<TAB>path<TAB>reason, got: " + line);
        }
        return new BadVideo(f[0], f[1], f[2]);
    }
}
