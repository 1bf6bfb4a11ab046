package dev.t2v.data.msrvtt;

/**
 * One row of {@code MSRVTT_JSFUSION_test.csv}, the 1k-A retrieval test set: {@code key} ("ret0"), {@code vid_key}
 * ("msr9770"), {@code video_id} ("video9770") and the query {@code sentence}.
 */
public record JsfusionRow(String key, String vidKey, String videoId, String sentence) {
    public JsfusionRow {
        if (videoId == null || videoId.isBlank()) {
            throw new IllegalArgumentException("video_id must be a non-empty string");
        }
        if (key == null || vidKey == null || sentence == null) {
            throw new IllegalArgumentException("key, vid_key and sentence must not be null");
        }
    }
}
