package dev.t2v.data.msrvtt;

import java.util.List;
import java.util.Objects;

/**
 * A video of an {@link MsrVttDataset} with its captions and the split it belongs to under the dataset's split scheme
 * (the video's own {@code split} field for the official split; the CSVs for the retrieval splits).
 */
public record MsrVttClip(MsrVttVideo video, List<String> captions, Split split) {
    public MsrVttClip {
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(split, "split");
        captions = List.copyOf(captions);
    }

    public String videoId() {
        return video.videoId();
    }
}
