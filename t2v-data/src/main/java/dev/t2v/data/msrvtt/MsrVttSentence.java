package dev.t2v.data.msrvtt;

/** One entry of an MSR-VTT annotation's {@code sentences[]}: a caption of the video {@code video_id}. */
public record MsrVttSentence(String caption, String videoId, int senId) {
    public MsrVttSentence {
        if (caption == null) {
            throw new IllegalArgumentException("caption must not be null");
        }
        if (videoId == null || videoId.isBlank()) {
            throw new IllegalArgumentException("video_id must be a non-empty string");
        }
    }
}
