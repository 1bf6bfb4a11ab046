package dev.t2v.data.preprocess;

import dev.t2v.data.msrvtt.MsrVttClip;
import java.util.List;

/** What became of one video: its encoded clips and captions, or the reason it was skipped. */
sealed interface VideoOutcome {
    MsrVttClip clip();

    /**
     * @param starts clip window starts in seconds
     * @param latents the windows' latents one after another, {@code [K,F,C,h,w]} flattened in C order
     * @param captions per caption, its embedding trimmed to the mask, {@code [T_i,D]} flattened
     * @param tokens per caption, T_i
     */
    record Encoded(MsrVttClip clip, double[] starts, float[] latents, List<float[]> captions, int[] tokens)
            implements VideoOutcome {
    }

    record Failed(MsrVttClip clip, BadVideo bad) implements VideoOutcome {
    }
}
