package dev.t2v.data.msrvtt;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which clips a run takes: splits of the official scheme ({@code train}, {@code validate}, {@code test}: each video's
 * own {@code split} field), or of the retrieval scheme ({@code 9k-train}: {@code MSRVTT_train.9k.csv};
 * {@code 1k-a-test}: {@code MSRVTT_JSFUSION_test.csv}, each clip captioned by its JSFUSION sentence).
 *
 * @param scheme where the clips' splits come from
 * @param splits the splits taken, under that scheme
 */
public record SplitSelection(Scheme scheme, Set<Split> splits) {
    /** Where the splits come from. */
    public enum Scheme {
        /** Each video's {@code split} field. */
        OFFICIAL,
        /** The 9k train CSV and the 1k-A JSFUSION test CSV ({@link MsrVttDataset#nineK()}); no validation split. */
        RETRIEVAL_9K
    }

    /** Every official split: what a run takes by default. */
    public static final SplitSelection ALL = official(EnumSet.allOf(Split.class));
    /** The names {@link #parse} accepts, official then retrieval. */
    public static final List<String> NAMES = List.of("train", "validate", "test", "9k-train", "1k-a-test");

    public SplitSelection {
        Objects.requireNonNull(scheme, "scheme");
        if (splits == null || splits.isEmpty()) {
            throw new IllegalArgumentException("a split selection must name at least one split");
        }
        splits = Collections.unmodifiableSet(EnumSet.copyOf(splits));
        if (scheme == Scheme.RETRIEVAL_9K && splits.contains(Split.VALIDATE)) {
            throw new IllegalArgumentException("the 9k / 1k-A retrieval scheme has no validation split");
        }
    }

    public static SplitSelection official(Set<Split> splits) {
        return new SplitSelection(Scheme.OFFICIAL, splits);
    }

    /**
     * Parses a comma-separated list of {@link #NAMES} (case and spaces ignored); official and retrieval names cannot
     * be mixed, since a video may be in the official test split and in the 9k train split.
     *
     * @throws IllegalArgumentException naming what was expected
     */
    public static SplitSelection parse(String list) {
        Set<Split> official = EnumSet.noneOf(Split.class);
        Set<Split> retrieval = EnumSet.noneOf(Split.class);
        for (String part : list.split(",", -1)) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "9k-train" -> retrieval.add(Split.TRAIN);
                case "1k-a-test" -> retrieval.add(Split.TEST);
                default -> official.add(Split.fromJsonName(name).orElseThrow(() -> new IllegalArgumentException(
                        "expected a comma-separated list of " + String.join(", ", NAMES) + "; got \"" + part.trim()
                                + "\"")));
            }
        }
        if (!official.isEmpty() && !retrieval.isEmpty()) {
            throw new IllegalArgumentException("official splits (train, validate, test) and retrieval splits "
                    + "(9k-train, 1k-a-test) cannot be mixed: they assign some videos differently");
        }
        return official.isEmpty() ? new SplitSelection(Scheme.RETRIEVAL_9K, retrieval) : official(official);
    }

    /** The selection as {@link #parse} spells it, in split order ({@code train}, ..., or {@code 9k-train}, ...). */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (Split s : splits) {
            out.add(name(scheme, s));
        }
        return List.copyOf(out);
    }

    private static String name(Scheme scheme, Split s) {
        if (scheme == Scheme.OFFICIAL) {
            return s.jsonName();
        }
        return s == Split.TRAIN ? "9k-train" : "1k-a-test";
    }

    /**
     * {@code dataset} (opened with the official split) under this selection's scheme: itself, or its 9k / 1k-A
     * retrieval split from the CSVs beside the annotation ({@link MsrVttDataset#nineK()}). The clips are not yet
     * filtered by {@link #splits()}.
     */
    public MsrVttDataset apply(MsrVttDataset dataset) throws IOException {
        return scheme == Scheme.OFFICIAL ? dataset : dataset.nineK();
    }

    /** Whether a clip of the dataset that {@link #apply} returned is taken. */
    public boolean takes(MsrVttClip clip) {
        return splits.contains(clip.split());
    }
}
