package dev.t2v.data.synthetic;

import dev.t2v.core.io.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.msrvtt.MsrVttAnnotations;
import dev.t2v.data.msrvtt.MsrVttSentence;
import dev.t2v.data.msrvtt.MsrVttVideo;
import dev.t2v.data.msrvtt.Split;
import dev.t2v.data.video.Video;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The synthetic moving-shapes set, written in MSR-VTT layout so the same code reads it as the real dataset:
 * <pre>
 * out/videos/video0.mp4 ...            one clip each: one coloured shape moving left, right, up or down
 * out/annotation/MSRVTT_data.json      videos[] (with a "t2v" label object each) and sentences[] (captions)
 * out/annotation/prompts.tsv           test prompts: all held-out combinations, then the seen ones in the test split
 * out/annotation/synthetic.json        the spec that generated the set
 * </pre>
 *
 * <p>Combinations are dealt in blocks of 72: each block is all colour × shape × direction combinations in a seeded
 * order, so the set is balanced. Clips of a held-out combination ({@link SyntheticSpec#heldOut()}) go to test. The
 * first block's clip of every other combination goes to train, so each seen combination really is seen; later clips
 * go to validate / test / train with the spec's fractions. Clip {@code i} depends only on the seed and {@code i}.
 */
public final class SyntheticSet {
    public static final String ANNOTATION_DIR = "annotation";
    public static final String VIDEO_DIR = "videos";
    public static final String DATA_JSON = "MSRVTT_data.json";
    public static final String SPEC_JSON = "synthetic.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SyntheticSet() {}

    /** Writes one clip's frames to a file. */
    @FunctionalInterface
    interface ClipWriter {
        void write(Video video, Path file) throws IOException;
    }

    /** What was written. */
    public record Result(Path root, List<PlannedClip> clips, List<PromptSpec> testPrompts) {
        public Result {
            clips = List.copyOf(clips);
            testPrompts = List.copyOf(testPrompts);
        }

        /** Clip counts per split, in split order. */
        public Map<Split, Integer> splitSizes() {
            return SyntheticSet.splitSizes(clips);
        }

        public long heldOutClips() {
            return clips.stream().filter(PlannedClip::heldOut).count();
        }
    }

    /** The clips of a spec, without rendering or writing anything. */
    public static List<PlannedClip> plan(SyntheticSpec spec) {
        List<Combo> all = Combo.all();
        List<PlannedClip> out = new ArrayList<>(spec.videos());
        List<Combo> order = List.of();
        for (int i = 0; i < spec.videos(); i++) {
            int block = i / all.size();
            if (i % all.size() == 0) {
                order = shuffled(all, Seeds.stream(spec.seed(), Seeds.COMBO_ORDER, block));
            }
            Combo combo = order.get(i % all.size());
            boolean heldOut = spec.heldOut().contains(combo);
            Split split;
            if (heldOut) {
                split = Split.TEST;
            } else if (block == 0) {
                split = Split.TRAIN;
            } else {
                double u = Seeds.stream(spec.seed(), Seeds.SPLIT, i).nextDouble();
                split = u < spec.validateFraction() ? Split.VALIDATE
                        : u < spec.validateFraction() + spec.testFraction() ? Split.TEST : Split.TRAIN;
            }
            ClipParams params = ClipParams.draw(combo, spec, Seeds.stream(spec.seed(), Seeds.CLIP, i));
            List<String> captions = Captions.write(combo, spec.captionsPerVideo(), Seeds.stream(spec.seed(), Seeds.CAPTIONS, i));
            out.add(new PlannedClip(i, combo, split, heldOut, params, captions));
        }
        return List.copyOf(out);
    }

    /** Fisher–Yates with our own generator: {@code Collections.shuffle} wants a {@code java.util.Random}. */
    private static <T> List<T> shuffled(List<T> items, RandomGenerator rng) {
        List<T> out = new ArrayList<>(items);
        for (int i = out.size() - 1; i > 0; i--) {
            Collections.swap(out, i, rng.nextInt(i + 1));
        }
        return out;
    }

    /**
     * Generates the set under {@code out} (created if needed; files of an earlier run are overwritten, files it does
     * not name are left alone). Videos are H.264 MP4 ({@link Video#writeMp4}). They are written first and the
     * annotation last, each file atomically, so an interrupted run leaves no annotation that names missing videos.
     * The progress bar steps once per clip.
     */
    public static Result generate(Path out, SyntheticSpec spec, ProgressBar progress) throws IOException {
        return generate(out, spec, progress, (video, file) -> video.writeMp4(file));
    }

    /** {@link #generate(Path, SyntheticSpec, ProgressBar)} with another clip writer (tests). */
    static Result generate(Path out, SyntheticSpec spec, ProgressBar progress, ClipWriter writer) throws IOException {
        List<PlannedClip> clips = plan(spec);
        Path videos = out.resolve(VIDEO_DIR);
        Files.createDirectories(videos);
        for (PlannedClip c : clips) {
            writer.write(c.params().render(), videos.resolve(c.videoId() + ".mp4"));
            progress.step();
        }
        Path ann = out.resolve(ANNOTATION_DIR);
        Files.createDirectories(ann);
        List<PromptSpec> prompts = testPrompts(spec, clips);
        PromptsTsv.write(ann.resolve(PromptsTsv.FILE_NAME), prompts);
        AtomicFiles.write(ann.resolve(SPEC_JSON), MAPPER.writeValueAsBytes(specJson(spec)));
        annotations(spec, clips).write(ann.resolve(DATA_JSON));
        return new Result(out, clips, prompts);
    }

    /** The MSR-VTT annotation of a planned set. */
    public static MsrVttAnnotations annotations(SyntheticSpec spec, List<PlannedClip> clips) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("contributor", "t2v synthetic moving-shapes generator");
        info.put("description", "one coloured shape moving left, right, up or down over a dark background; "
                + "the t2v object of each video holds its ground truth");
        info.put("version", "1.0");
        List<MsrVttVideo> videos = new ArrayList<>(clips.size());
        List<MsrVttSentence> sentences = new ArrayList<>();
        double seconds = spec.frames() / spec.fps();
        for (PlannedClip c : clips) {
            Map<String, JsonNode> extra = Map.of(SyntheticLabel.FIELD, SyntheticLabel.toJson(c));
            // Category 0 is a placeholder: the real set's 20 YouTube categories do not apply here.
            videos.add(new MsrVttVideo(c.videoId(), 0, "synthetic://moving-shapes?seed=" + spec.seed() + "&index=" + c.index(),
                    0.0, seconds, c.split(), c.index(), extra));
            for (String caption : c.captions()) {
                sentences.add(new MsrVttSentence(caption, c.videoId(), sentences.size()));
            }
        }
        return new MsrVttAnnotations(info, videos, sentences);
    }

    /**
     * The test prompts: the canonical prompt of every held-out combination, then of every seen combination that has
     * a clip in the test split, each group in combination order.
     */
    public static List<PromptSpec> testPrompts(SyntheticSpec spec, List<PlannedClip> clips) {
        List<PromptSpec> out = new ArrayList<>();
        new TreeSet<>(spec.heldOut()).forEach(c -> out.add(new PromptSpec(c.canonicalPrompt(), c, true)));
        TreeSet<Combo> seen = new TreeSet<>();
        clips.stream().filter(c -> c.split() == Split.TEST && !c.heldOut()).forEach(c -> seen.add(c.combo()));
        seen.forEach(c -> out.add(new PromptSpec(c.canonicalPrompt(), c, false)));
        return out;
    }

    static Map<Split, Integer> splitSizes(List<PlannedClip> clips) {
        Map<Split, Integer> m = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            m.put(s, 0);
        }
        clips.forEach(c -> m.merge(c.split(), 1, Integer::sum));
        return Collections.unmodifiableMap(m);
    }

    private static ObjectNode specJson(SyntheticSpec spec) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("generator", "t2v moving-shapes 1");
        o.put("videos", spec.videos());
        o.put("size", spec.size());
        o.put("frames", spec.frames());
        o.put("fps", spec.fps());
        o.put("seed", spec.seed());
        o.put("captions_per_video", spec.captionsPerVideo());
        o.put("validate_fraction", spec.validateFraction());
        o.put("test_fraction", spec.testFraction());
        ArrayNode held = o.putArray("held_out");
        new TreeSet<>(spec.heldOut()).forEach(c -> held.addObject()
                .put("colour", c.colour().word()).put("shape", c.shape().word()).put("direction", c.direction().word()));
        ClipStyle st = spec.style();
        ObjectNode s = o.putObject("style");
        s.put("min_shape", st.minShape());
        s.put("max_shape", st.maxShape());
        s.put("min_speed", st.minSpeed());
        s.put("max_speed", st.maxSpeed());
        s.put("margin", st.margin());
        s.put("min_background", st.minBackground());
        s.put("max_background", st.maxBackground());
        s.put("brightness_jitter", st.brightnessJitter());
        s.put("supersample", st.supersample());
        ArrayNode palette = o.putArray("palette");
        for (Colour c : Colour.values()) {
            palette.addObject().put("colour", c.word()).put("rgb", String.format("#%06x", c.rgb()));
        }
        return o;
    }
}
