package dev.t2v.data.synthetic;

import dev.t2v.data.msrvtt.Split;
import java.util.List;
import java.util.Objects;

/**
 * One clip of a synthetic set before it is written: its id, combination, split, pixel parameters and captions.
 *
 * @param heldOut whether the combination is held out of training (then the split is always test)
 */
public record PlannedClip(int index, Combo combo, Split split, boolean heldOut, ClipParams params, List<String> captions) {
    public PlannedClip {
        Objects.requireNonNull(combo, "combo");
        Objects.requireNonNull(split, "split");
        Objects.requireNonNull(params, "params");
        captions = List.copyOf(captions);
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (heldOut && split == Split.TRAIN) {
            throw new IllegalArgumentException("held-out combination " + combo + " cannot be in the train split");
        }
    }

    /** The MSR-VTT video id, {@code video<index>}. */
    public String videoId() {
        return "video" + index;
    }
}
