package dev.t2v.inference.eval.synthetic;

import dev.t2v.data.msrvtt.MsrVttClip;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.synthetic.Combo;
import dev.t2v.data.synthetic.PromptSpec;
import dev.t2v.data.synthetic.SyntheticLabel;
import dev.t2v.data.video.FrameSampler;
import dev.t2v.data.video.Video;
import dev.t2v.data.video.VideoReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The adherence suite's reference row: clips of the synthetic set itself stand in for generated videos of the same
 * combinations, so the detector's accuracy, the objects per frame and the flicker of real clips can be set beside a
 * model's. Each clip is read the way training reads it (the window at the model's frame count and rate from the start
 * of the MP4, through the same {@link FrameSampler}), at the clip's own size.
 */
public final class GroundTruth {
    private GroundTruth() {}

    /** A clip of {@code prompt}'s combination: {@code videoId} of the set, at {@code file}. */
    public record Clip(PromptSpec prompt, String videoId, Path file) {
        public Clip {
            Objects.requireNonNull(prompt, "prompt");
            Objects.requireNonNull(videoId, "videoId");
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * For each prompt in order, the set's first {@code perPrompt} clips (by video index) labelled with the prompt's
     * combination, or all of them when it has fewer; whatever split they are in. Prompts of the same combination get
     * the same clips.
     *
     * @throws IllegalArgumentException naming the set and the combination when a prompt's combination has no clip
     */
    public static List<Clip> select(Path synthDir, List<PromptSpec> prompts, int perPrompt) throws IOException {
        if (perPrompt < 1) {
            throw new IllegalArgumentException("perPrompt must be >= 1, got " + perPrompt);
        }
        MsrVttDataset set = MsrVttDataset.open(synthDir);
        Map<Combo, List<MsrVttClip>> byCombo = new LinkedHashMap<>();
        set.clips().stream()
                .sorted((a, b) -> Integer.compare(a.video().id(), b.video().id()))
                .forEach(c -> SyntheticLabel.of(c.video()).ifPresent(
                        label -> byCombo.computeIfAbsent(label.combo(), k -> new ArrayList<>()).add(c)));
        if (byCombo.isEmpty()) {
            throw new IllegalArgumentException(synthDir + ": not a synthetic set (no video has a \""
                    + SyntheticLabel.FIELD + "\" label)");
        }
        List<Clip> out = new ArrayList<>();
        for (PromptSpec p : prompts) {
            List<MsrVttClip> clips = byCombo.getOrDefault(p.combo(), List.of());
            if (clips.isEmpty()) {
                throw new IllegalArgumentException(synthDir + ": no clip of " + p.combo() + " (the prompt \""
                        + p.prompt() + "\")");
            }
            for (MsrVttClip c : clips.subList(0, Math.min(perPrompt, clips.size()))) {
                out.add(new Clip(p, c.videoId(), set.videoFile(c)));
            }
        }
        return List.copyOf(out);
    }

    /** The first {@code frames} frames at {@code fps} of {@code clip}, at its own size. */
    public static Video window(Clip clip, int frames, double fps) throws IOException {
        try (VideoReader reader = VideoReader.open(clip.file())) {
            int side = Math.min(reader.info().width(), reader.info().height());
            return new FrameSampler(frames, fps, 0, side).sample(reader);
        }
    }
}
