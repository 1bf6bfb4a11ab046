package dev.t2v.data.msrvtt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An MSR-VTT-format folder: the annotation plus the video files, as a list of clips with captions and a split.
 *
 * <p>Layouts understood: {@code annotation/MSRVTT_data.json} (or {@code MSRVTT_data.json} at the root, or in
 * {@code annotations/} or {@code msrvtt_data/}) with videos in {@code videos/<video_id>.mp4} or
 * {@code videos/all/<video_id>.mp4}; and the original download, {@code train_val_videodatainfo.json} and
 * {@code test_videodatainfo.json} (at the root or one folder down) with videos in {@code TrainValVideo/} and
 * {@code TestVideo/}. The synthetic moving-shapes set is written in the first layout.
 *
 * <p>Splits: {@link #official} (each video's {@code split} field: train 6513 / validate 497 / test 2990 on the real
 * data) or the retrieval splits from CSVs ({@link #withRetrievalSplit}, {@link #nineK}): train = the 9k CSV, test =
 * the 1k-A JSFUSION CSV, each test clip captioned by its single JSFUSION sentence, and no validation split.
 */
public final class MsrVttDataset {
    /** Where {@code MSRVTT_data.json} may be, relative to the root, in search order. */
    public static final List<String> DATA_JSON_LOCATIONS = List.of(
            "annotation/MSRVTT_data.json", "MSRVTT_data.json", "annotations/MSRVTT_data.json",
            "msrvtt_data/MSRVTT_data.json");
    /** The original download's annotation files, at the root or one folder down. */
    public static final String TRAIN_VAL_JSON = "train_val_videodatainfo.json";
    public static final String TEST_JSON = "test_videodatainfo.json";
    /** Folders that may hold {@code <video_id>.mp4}, relative to the root, in search order. */
    public static final List<String> VIDEO_DIRS = List.of("videos", "videos/all", "TrainValVideo", "TestVideo");

    private final Path root;
    private final Path annotationDir;
    private final MsrVttAnnotations annotations;
    private final List<MsrVttClip> clips;
    private final Map<String, MsrVttClip> byId;

    private MsrVttDataset(Path root, Path annotationDir, MsrVttAnnotations annotations, List<MsrVttClip> clips) {
        this.root = root;
        this.annotationDir = annotationDir;
        this.annotations = annotations;
        this.clips = List.copyOf(clips);
        Map<String, MsrVttClip> m = new HashMap<>();
        this.clips.forEach(c -> m.put(c.videoId(), c));
        this.byId = Collections.unmodifiableMap(m);
    }

    /** Opens a folder, finding its annotation file(s); clips get the official split. */
    public static MsrVttDataset open(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "not a directory (expected an MSR-VTT-format folder)");
        }
        for (String rel : DATA_JSON_LOCATIONS) {
            Path p = root.resolve(rel);
            if (Files.isRegularFile(p)) {
                return official(root, p.getParent(), MsrVttAnnotations.read(p));
            }
        }
        Optional<Path> trainVal = findShallow(root, TRAIN_VAL_JSON);
        Optional<Path> test = findShallow(root, TEST_JSON);
        if (trainVal.isEmpty() && test.isEmpty()) {
            throw new NoSuchFileException(root.toString(), null, "no annotation found: looked for "
                    + String.join(", ", DATA_JSON_LOCATIONS) + ", and " + TRAIN_VAL_JSON + " / " + TEST_JSON
                    + " at most one folder down");
        }
        MsrVttAnnotations ann = null;
        Path dir = null;
        for (Optional<Path> p : List.of(trainVal, test)) {
            if (p.isPresent()) {
                MsrVttAnnotations a = MsrVttAnnotations.read(p.get());
                ann = ann == null ? a : ann.merge(a);
                dir = dir == null ? p.get().getParent() : dir;
            }
        }
        return official(root, dir, ann);
    }

    /** A dataset over {@code root}'s video folders with the given annotations and the official split. */
    public static MsrVttDataset official(Path root, Path annotationDir, MsrVttAnnotations annotations) {
        Map<String, List<String>> captions = annotations.captionsByVideo();
        List<MsrVttClip> clips = new ArrayList<>();
        for (MsrVttVideo v : annotations.videos()) {
            clips.add(new MsrVttClip(v, captions.get(v.videoId()), v.split()));
        }
        return new MsrVttDataset(root, annotationDir, annotations, clips);
    }

    private static Optional<Path> findShallow(Path root, String name) throws IOException {
        Path direct = root.resolve(name);
        if (Files.isRegularFile(direct)) {
            return Optional.of(direct);
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory)
                    .filter(d -> !VIDEO_DIRS.contains(d.getFileName().toString()))
                    .sorted()
                    .map(d -> d.resolve(name))
                    .filter(Files::isRegularFile)
                    .findFirst();
        }
    }

    /**
     * The retrieval split: train = the videos in {@code trainCsv} (e.g. {@code MSRVTT_train.9k.csv}), test = the
     * videos in {@code testCsv} ({@code MSRVTT_JSFUSION_test.csv}) captioned by their JSFUSION sentence; other videos
     * are left out. A CSV video_id that is not in the annotations, or a video in both CSVs, is an
     * {@link AnnotationFormatException} naming the CSV and line.
     */
    public MsrVttDataset withRetrievalSplit(Path trainCsv, Path testCsv) throws IOException {
        Map<String, MsrVttClip> official = new HashMap<>();
        clips.forEach(c -> official.put(c.videoId(), c));
        Map<String, MsrVttClip> out = new LinkedHashMap<>();
        for (RetrievalCsv.Located<String> id : RetrievalCsv.readVideoIdLines(trainCsv)) {
            MsrVttClip c = known(official, trainCsv, id.line(), id.value());
            out.put(id.value(), new MsrVttClip(c.video(), c.captions(), Split.TRAIN));
        }
        for (RetrievalCsv.Located<JsfusionRow> row : RetrievalCsv.readJsfusionLines(testCsv)) {
            String id = row.value().videoId();
            MsrVttClip c = known(official, testCsv, row.line(), id);
            if (out.containsKey(id)) {
                throw new AnnotationFormatException(testCsv, "line " + row.line(), "video_id \"" + id
                        + "\" is also in the train split " + trainCsv.getFileName() + "; expected disjoint splits");
            }
            out.put(id, new MsrVttClip(c.video(), List.of(row.value().sentence()), Split.TEST));
        }
        List<MsrVttClip> ordered = new ArrayList<>(out.values());
        ordered.sort((a, b) -> Integer.compare(a.video().id(), b.video().id()));
        return new MsrVttDataset(root, annotationDir, annotations, ordered);
    }

    /** {@link #withRetrievalSplit} with the standard 9k / 1k-A CSVs, looked for beside the annotation, then at the root. */
    public MsrVttDataset nineK() throws IOException {
        return withRetrievalSplit(findCsv(RetrievalCsv.TRAIN_9K), findCsv(RetrievalCsv.JSFUSION_TEST));
    }

    private Path findCsv(String name) throws NoSuchFileException {
        for (Path dir : annotationDir == null ? List.of(root) : List.of(annotationDir, root)) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new NoSuchFileException(name, null, "not found in " + (annotationDir == null ? root : annotationDir + " or " + root));
    }

    private static MsrVttClip known(Map<String, MsrVttClip> clips, Path csv, int line, String id) {
        MsrVttClip c = clips.get(id);
        if (c == null) {
            throw new AnnotationFormatException(csv, "line " + line, "video_id \"" + id
                    + "\" is not in the annotation's videos[]");
        }
        return c;
    }

    public Path root() {
        return root;
    }

    /** The annotation file(s) as read, before any retrieval split. */
    public MsrVttAnnotations annotations() {
        return annotations;
    }

    /** All clips of the current split scheme, in annotation order (by {@code id} for the retrieval splits). */
    public List<MsrVttClip> clips() {
        return clips;
    }

    public List<MsrVttClip> clips(Split split) {
        return clips.stream().filter(c -> c.split() == split).toList();
    }

    public Optional<MsrVttClip> clip(String videoId) {
        return Optional.ofNullable(byId.get(videoId));
    }

    /** Clip counts per split, in split order (splits with no clips included as 0). */
    public Map<Split, Integer> splitSizes() {
        Map<Split, Integer> m = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            m.put(s, 0);
        }
        clips.forEach(c -> m.merge(c.split(), 1, Integer::sum));
        return Collections.unmodifiableMap(m);
    }

    /** The video file of {@code videoId}, searched in {@link #VIDEO_DIRS}; empty if none exists. */
    public Optional<Path> findVideo(String videoId) {
        for (String dir : VIDEO_DIRS) {
            Path p = root.resolve(dir).resolve(videoId + ".mp4");
            if (Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The video file of a clip; a missing file is a {@link NoSuchFileException} listing where it was looked for. */
    public Path videoFile(MsrVttClip clip) throws NoSuchFileException {
        return findVideo(clip.videoId()).orElseThrow(() -> new NoSuchFileException(clip.videoId() + ".mp4", null,
                "not found in " + VIDEO_DIRS.stream().map(d -> root.resolve(d).toString()).toList()));
    }

    /** The ids of clips whose video file is missing, to check a download before a long preprocessing run. */
    public List<String> missingVideos() {
        return clips.stream().map(MsrVttClip::videoId).filter(id -> findVideo(id).isEmpty()).toList();
    }
}
