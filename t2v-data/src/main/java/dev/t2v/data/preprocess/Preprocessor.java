package dev.t2v.data.preprocess;

import dev.t2v.core.io.AtomicFiles;
import dev.t2v.core.io.Safetensors;
import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.encode.LatentCodec;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.manifest.DatasetFiles;
import dev.t2v.data.manifest.DatasetInfo;
import dev.t2v.data.manifest.ManifestEntry;
import dev.t2v.data.msrvtt.MsrVttClip;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.msrvtt.Split;
import dev.t2v.data.video.FfmpegDecoder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Preprocesses an MSR-VTT-format folder into a training dataset (layout: {@link DatasetFiles}).
 *
 * <p>The selected videos (splits, then the first {@code limit} in natural video-id order) are grouped into shards of
 * {@code videosPerShard}. Each video's clip windows ({@link ClipWindows}) are decoded, resized and centre-cropped,
 * encoded by the codec to {@code [F,C,h,w]} latents, and its captions by the text encoder, on a bounded pool of
 * {@code threads} workers; shards are assembled and written in order on the calling thread.
 *
 * <ul>
 *   <li><b>Resumable:</b> a shard whose {@code .jsonl} exists is skipped; every file is written atomically and the
 *       {@code .jsonl} last, so a run killed at any point leaves finished shards and temp files only (deleted on the
 *       next run).</li>
 *   <li><b>Deterministic:</b> a shard depends only on its videos and the models, so the same inputs give the same
 *       bytes whatever the thread count or interruptions ({@code created} in dataset.json comes from the clock and is
 *       kept from the first run; {@code summary.json} holds timings).</li>
 *   <li><b>Safe to rerun:</b> an output made with other models or settings (dataset.json) is refused rather than
 *       mixed; unchanged files are not rewritten.</li>
 *   <li><b>Robust:</b> an unreadable, unsupported or too-short video is listed in {@code bad-videos.tsv} and
 *       skipped.</li>
 * </ul>
 */
public final class Preprocessor {
    private final PreprocessConfig cfg;
    private final TextEncoder text;
    private final LatentCodec codec;
    private final Clock clock;
    private final PrintStream progress;

    /**
     * @param clock gives dataset.json's {@code created} on a first run
     * @param progress where the progress bar is drawn (stderr), or {@code null} for none
     */
    public Preprocessor(PreprocessConfig cfg, TextEncoder text, LatentCodec codec, Clock clock, PrintStream progress) {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.text = Objects.requireNonNull(text, "text");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.progress = progress;
        if (cfg.size() % codec.downsample() != 0) {
            throw new IllegalArgumentException("size " + cfg.size() + " is not a multiple of the codec's downsample "
                    + codec.downsample());
        }
    }

    /** Runs with the system clock and no progress bar. */
    public static PreprocessSummary run(PreprocessConfig cfg, TextEncoder text, LatentCodec codec) throws IOException {
        return new Preprocessor(cfg, text, codec, Clock.systemUTC(), null).run();
    }

    /** A shard of the plan: its index and videos. */
    private record Shard(int index, List<MsrVttClip> videos) {
    }

    /**
     * Preprocesses, resuming any earlier run in the output directory, and writes {@code summary.json}.
     *
     * @throws IOException on a missing data folder or annotation, an output made with other settings, another run
     *                     holding the output, or a write failure
     */
    public PreprocessSummary run() throws IOException {
        long t0 = System.nanoTime();
        MsrVttDataset dataset = MsrVttDataset.open(cfg.data());
        List<MsrVttClip> selected = select(dataset);
        if (selected.isEmpty()) {
            throw new IOException(cfg.data() + ": no videos in the selected splits " + splitNames());
        }
        Path out = cfg.out();
        Files.createDirectories(out.resolve(DatasetFiles.SHARDS_DIR));
        try (FileChannel lockChannel = FileChannel.open(out.resolve(DatasetFiles.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = lockChannel.tryLock();
            if (lock == null) {
                throw new IOException(out + ": another t2v preprocess is writing here (it holds "
                        + out.resolve(DatasetFiles.LOCK) + ")");
            }
            try {
                return runLocked(dataset, selected, t0);
            } finally {
                lock.release();
            }
        }
    }

    private PreprocessSummary runLocked(MsrVttDataset dataset, List<MsrVttClip> selected, long t0) throws IOException {
        Path out = cfg.out();
        DatasetInfo info = checkOrWriteDatasetJson(dataset);
        OutputFiles.deleteTempFiles(out);
        OutputFiles.deleteTempFiles(out.resolve(DatasetFiles.SHARDS_DIR));
        writeNullTextIfMissing(out.resolve(DatasetFiles.NULL_TEXT));

        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i * cfg.videosPerShard() < selected.size(); i++) {
            shards.add(new Shard(i, selected.subList(i * cfg.videosPerShard(),
                    Math.min(selected.size(), (i + 1) * cfg.videosPerShard()))));
        }
        List<Shard> pending = new ArrayList<>();
        for (Shard s : shards) {
            if (!isDone(out, s.index())) {
                pending.add(s);
            }
        }
        int pendingVideos = pending.stream().mapToInt(s -> s.videos().size()).sum();

        VideoEncoder encoder = new VideoEncoder(dataset, cfg, text, codec, FfmpegDecoder.onPath());
        int clipsWritten = 0;
        ExecutorService pool = Executors.newFixedThreadPool(cfg.threads(), daemonThreads());
        ProgressBar bar = progress == null ? ProgressBar.silent() : new ProgressBar(progress, "preprocess", pendingVideos);
        try (bar) {
            List<MsrVttClip> queue = new ArrayList<>();
            pending.forEach(s -> queue.addAll(s.videos()));
            // In flight at most 2 per thread: enough to keep workers busy while the head video finishes, and a bound
            // on decoded frames held in memory.
            int maxInFlight = 2 * cfg.threads();
            Deque<Future<VideoOutcome>> inFlight = new ArrayDeque<>();
            int next = 0;
            int bad = 0;
            for (Shard s : pending) {
                List<VideoOutcome> outcomes = new ArrayList<>(s.videos().size());
                for (int v = 0; v < s.videos().size(); v++) {
                    while (next < queue.size() && inFlight.size() < maxInFlight) {
                        MsrVttClip clip = queue.get(next++);
                        inFlight.add(pool.submit(() -> encoder.encode(clip)));
                    }
                    // Submission follows the queue order, so the head is this shard's video v.
                    VideoOutcome o = await(inFlight.poll());
                    outcomes.add(o);
                    if (o instanceof VideoOutcome.Failed) {
                        bad++;
                    }
                    bar.extra("shard " + (s.index() + 1) + "/" + shards.size() + ", bad " + bad).step();
                }
                clipsWritten += ShardWriter.write(out, s.index(), outcomes, info, text.id(), codec.id()).clips();
            }
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Totals totals = rebuildManifests(out, shards.size());
        double seconds = (System.nanoTime() - t0) / 1e9;
        PreprocessSummary summary = new PreprocessSummary(selected.size(), totals.videosOk, totals.videosBad,
                pendingVideos, shards.size(), pending.size(), shards.size() - pending.size(), totals.clips,
                clipsWritten, totals.captions, totals.shardBytes, seconds, encoder.decodeNanos.sum() / 1e9,
                encoder.encodeNanos.sum() / 1e9, cfg.threads());
        AtomicFiles.write(out.resolve(DatasetFiles.SUMMARY), summary.toJson());
        return summary;
    }

    private static VideoOutcome await(Future<VideoOutcome> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "t2v-preprocess-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A shard is done when its .jsonl exists and, if it lists clips, its tensors do too. */
    private static boolean isDone(Path out, int shard) throws IOException {
        Path jsonl = DatasetFiles.shardManifest(out, shard);
        if (!Files.isRegularFile(jsonl)) {
            return false;
        }
        return Files.size(jsonl) == 0 || Files.isRegularFile(DatasetFiles.shardTensors(out, shard));
    }

    private List<MsrVttClip> select(MsrVttDataset dataset) {
        List<MsrVttClip> clips = new ArrayList<>(dataset.clips().stream().filter(c -> cfg.splits().contains(c.split()))
                .toList());
        clips.sort((a, b) -> VideoIdOrder.INSTANCE.compare(a.videoId(), b.videoId()));
        return cfg.limit() > 0 && clips.size() > cfg.limit() ? clips.subList(0, cfg.limit()) : clips;
    }

    private List<String> splitNames() {
        return cfg.splits().stream().map(Split::jsonName).toList();
    }

    /**
     * Describes this run; an existing dataset.json must agree on everything that decides shard content (its
     * {@code created} is kept), else the run is refused before anything is written.
     */
    private DatasetInfo checkOrWriteDatasetJson(MsrVttDataset dataset) throws IOException {
        Path out = cfg.out();
        Path file = out.resolve(DatasetFiles.DATASET_JSON);
        DatasetInfo info = new DatasetInfo(DatasetInfo.FORMAT_VERSION, text.id(), text.dim(), text.maxTokens(),
                codec.id(), codec.scalingFactor(), codec.latentChannels(), codec.downsample(), cfg.frames(), cfg.fps(),
                cfg.size(), cfg.clipsPerVideo(), cfg.videosPerShard(), splitNames(), cfg.limit(),
                cfg.data().toAbsolutePath().normalize().toString(), sha256(dataset.annotations().toJson()),
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        // Where the encoders' files are, so a model trained on this dataset can name them (not compared on reruns).
        OnnxTextEncoder onnxText = text instanceof OnnxTextEncoder t ? t : null;
        OnnxVae vae = codec instanceof OnnxVae v ? v : null;
        info = info.withModelFiles(onnxText == null ? null : absolute(onnxText.modelFile()),
                onnxText == null ? null : absolute(onnxText.tokenizerFile()),
                vae == null ? null : absolute(vae.encoderFile()), vae == null ? null : absolute(vae.decoderFile()));
        if (Files.exists(file)) {
            DatasetInfo existing = DatasetInfo.read(file);
            List<String> diffs = info.differencesFrom(existing);
            if (!diffs.isEmpty()) {
                throw new IOException(out + " holds a dataset made with other settings, which this run would mix "
                        + "with its own: " + String.join("; ", diffs) + ". Use another --out, or delete " + out);
            }
            info = info.withCreated(existing.created());
        } else if (hasShardFiles(out.resolve(DatasetFiles.SHARDS_DIR))) {
            throw new IOException(out + " has shards but no dataset.json, so what made them is unknown; use another "
                    + "--out, or delete " + out);
        }
        OutputFiles.writeIfChanged(file, info.toJson());
        return info;
    }

    private static String absolute(Path p) {
        return p == null ? null : p.toAbsolutePath().normalize().toString();
    }

    private static boolean hasShardFiles(Path shardsDir) throws IOException {
        try (Stream<Path> s = Files.list(shardsDir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("shard-"));
        }
    }

    private void writeNullTextIfMissing(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            return; // dataset.json vouched that the same text encoder wrote it
        }
        VideoEncoder.Captions empty = VideoEncoder.trimmed(text.encode(List.of("")), text.id());
        int n = empty.tokens()[0];
        float[] mask = new float[n];
        Arrays.fill(mask, 1f);
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put(DatasetFiles.EMBEDDING, Nd4j.create(empty.rows().get(0), new long[] {n, text.dim()}, DataType.FLOAT));
        t.put(DatasetFiles.MASK, Nd4j.create(mask, new long[] {n}, DataType.FLOAT));
        Safetensors.write(file, t, Map.of("format", "t2v-null-text-1", "text_encoder", text.id()));
    }

    private record Totals(int videosOk, int videosBad, int clips, int captions, long shardBytes) {
    }

    /**
     * Concatenates every shard's .jsonl into manifest.jsonl and every shard's bad list into bad-videos.tsv (both in
     * shard order, hence video-id order), writing each only if it changed.
     */
    private static Totals rebuildManifests(Path out, int shardCount) throws IOException {
        StringBuilder manifest = new StringBuilder();
        List<String> badRows = new ArrayList<>();
        Set<String> okVideos = new HashSet<>();
        int clips = 0;
        int captions = 0;
        long bytes = 0;
        for (int i = 0; i < shardCount; i++) {
            Path jsonl = DatasetFiles.shardManifest(out, i);
            List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
            Set<String> captionBlocks = new HashSet<>();
            for (int k = 0; k < lines.size(); k++) {
                String line = lines.get(k);
                if (line.isBlank()) {
                    continue;
                }
                ManifestEntry e = ManifestEntry.parse(line, jsonl + " line " + (k + 1));
                okVideos.add(e.videoId());
                if (captionBlocks.add(e.captionFirst() + ":" + e.captionCount())) {
                    captions += e.captionCount();
                }
                clips++;
                manifest.append(line).append('\n');
            }
            Path badFile = DatasetFiles.shardBadVideos(out, i);
            if (Files.isRegularFile(badFile)) {
                List<String> rows = Files.readAllLines(badFile, StandardCharsets.UTF_8);
                rows.stream().skip(1).filter(r -> !r.isBlank()).forEach(badRows::add);
            }
            Path tensors = DatasetFiles.shardTensors(out, i);
            if (Files.isRegularFile(tensors)) {
                bytes += Files.size(tensors);
            }
        }
        OutputFiles.writeIfChanged(out.resolve(DatasetFiles.MANIFEST), manifest.toString().getBytes(StandardCharsets.UTF_8));
        OutputFiles.writeIfChanged(out.resolve(DatasetFiles.BAD_VIDEOS), ShardWriter.tsv(badRows));
        return new Totals(okVideos.size(), badRows.size(), clips, captions, bytes);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** The bad videos listed in {@code dir/bad-videos.tsv}. */
    public static List<BadVideo> readBadVideos(Path dir) throws IOException {
        List<String> rows = Files.readAllLines(dir.resolve(DatasetFiles.BAD_VIDEOS), StandardCharsets.UTF_8);
        List<BadVideo> out = new ArrayList<>();
        rows.stream().skip(1).filter(r -> !r.isBlank()).forEach(r -> out.add(BadVideo.parse(r)));
        return out;
    }
}
