package dev.t2v.data.msrvtt;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of an MSR-VTT annotation's {@code videos[]}: {@code video_id} ("video0"), {@code category} (0–19),
 * {@code url}, {@code start time} and {@code end time} in seconds of the source video, {@code split} and {@code id}.
 *
 * @param extra fields beyond the standard ones, in file order (e.g. the synthetic set's {@code t2v} object); the
 *     nodes are deep copies and must be treated as read-only
 */
public record MsrVttVideo(
        String videoId,
        int category,
        String url,
        double startTime,
        double endTime,
        Split split,
        int id,
        Map<String, JsonNode> extra) {

    /** The standard field names, as spelled in the files (note the spaces in the time keys). */
    static final List<String> STANDARD_FIELDS =
            List.of("video_id", "category", "url", "start time", "end time", "split", "id");

    public MsrVttVideo {
        if (videoId == null || videoId.isBlank()) {
            throw new IllegalArgumentException("video_id must be a non-empty string");
        }
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(split, "split");
        if (!Double.isFinite(startTime) || !Double.isFinite(endTime) || endTime < startTime) {
            throw new IllegalArgumentException(videoId + ": expected finite times with end time >= start time, got "
                    + startTime + ".." + endTime);
        }
        Map<String, JsonNode> copy = new LinkedHashMap<>();
        if (extra != null) {
            extra.forEach((k, v) -> {
                if (STANDARD_FIELDS.contains(k)) {
                    throw new IllegalArgumentException(videoId + ": extra field '" + k + "' clashes with a standard field");
                }
                copy.put(k, v.deepCopy());
            });
        }
        extra = Collections.unmodifiableMap(copy);
    }

    /** A video without extra fields. */
    public MsrVttVideo(String videoId, int category, String url, double startTime, double endTime, Split split, int id) {
        this(videoId, category, url, startTime, endTime, split, id, Map.of());
    }

    /** Length of the clip in the source video, in seconds. */
    public double duration() {
        return endTime - startTime;
    }

    /** This video with its split replaced (used by the retrieval splits). */
    public MsrVttVideo withSplit(Split newSplit) {
        return new MsrVttVideo(videoId, category, url, startTime, endTime, newSplit, id, extra);
    }
}
