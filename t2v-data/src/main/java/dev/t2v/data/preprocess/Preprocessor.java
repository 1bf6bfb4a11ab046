package dev.t2v.data.preprocess;

import dev.t2v.core.io.Safetensors;
import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.encode.LatentCodec;
import dev.t2v.data.encode.OnnxTextEncoder;
import dev.t2v.data.encode.OnnxVae;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.manifest.DatasetFiles;
import dev.t2v.data.manifest.DatasetInfo;
import dev.t2v.data.manifest.LatentStats;
import dev.t2v.data.manifest.ManifestEntry;
import dev.t2v.data.msrvtt.MsrVttClip;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.video.FfmpegDecoder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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
 *
 * <p>{@link #run()} encodes on a local thread pool. Another engine (the Spark job in {@code dev.t2v.data.spark}) calls
 * {@link #run(MsrVttDataset, OutputStore, String, ShardRunner)} with its own {@link ShardRunner}, whose tasks each
 * call {@link #encodeShard}: planning, dataset.json, resumption, the manifests and the summary stay here, once.
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

    /** A shard of the plan: its index and videos, in natural video-id order. */
    public record Shard(int index, List<MsrVttClip> videos) {
        public Shard {
            videos = List.copyOf(videos);
        }
    }

    /**
     * What running the pending shards did.
     *
     * @param clipsWritten clips encoded
     * @param decodeSeconds time spent decoding, summed over workers
     * @param encodeSeconds time spent in the models, summed over workers
     * @param workers videos encoded at once (threads, or Spark task slots)
     */
    public record ShardsRun(int clipsWritten, double decodeSeconds, double encodeSeconds, int workers) {
    }

    /**
     * Encodes and writes the pending shards, each by {@link #encodeShard}'s contract (files written atomically, the
     * shard's {@code .jsonl} last); an engine: the local thread pool, or a Spark job.
     */
    @FunctionalInterface
    public interface ShardRunner {
        /**
         * @param pending the shards to write, in order
         * @param info the run's dataset.json, as written
         * @param shardCount shards in the whole plan (for progress)
         */
        ShardsRun run(List<Shard> pending, DatasetInfo info, int shardCount) throws IOException;
    }

    /** What one {@link #encodeShard} call wrote and how long it took. */
    public record ShardResult(int shard, int videosOk, int videosBad, int clips, double decodeSeconds,
            double encodeSeconds) {
    }

    /**
     * Preprocesses on {@code threads} local workers, resuming any earlier run in the output directory, and writes
     * {@code summary.json}.
     *
     * @throws IOException on a missing data folder or annotation, an output made with other settings, another run
     *                     holding the output, or a write failure
     */
    public PreprocessSummary run() throws IOException {
        long t0 = System.nanoTime();
        MsrVttDataset dataset = cfg.splits().apply(MsrVttDataset.open(cfg.data()));
        List<Shard> shards = plan(dataset);
        Files.createDirectories(cfg.out().resolve(DatasetFiles.SHARDS_DIR));
        try (OutputLock lock = OutputLock.acquire(cfg.out())) {
            OutputStore out = OutputStore.local(cfg.out());
            return run(dataset, shards, out, cfg.data().toAbsolutePath().normalize().toString(),
                    (pending, info, shardCount) -> runLocally(dataset, out, pending, info, shardCount), t0);
        }
    }

    /**
     * Preprocesses {@code dataset} into {@code out} with another engine: plans the shards, checks or writes
     * dataset.json and the null text, lets {@code runner} write the shards not yet done, then writes manifest.jsonl,
     * bad-videos.tsv and summary.json. The caller keeps other runs out of {@code out}.
     *
     * @param source the data folder as dataset.json names it (a path or a URI)
     * @throws IOException on an empty selection, an output made with other settings, or a write failure
     */
    public PreprocessSummary run(MsrVttDataset dataset, OutputStore out, String source, ShardRunner runner)
            throws IOException {
        return run(dataset, plan(dataset), out, source, runner, System.nanoTime());
    }

    private PreprocessSummary run(MsrVttDataset dataset, List<Shard> shards, OutputStore out, String source,
            ShardRunner runner, long t0) throws IOException {
        DatasetInfo info = checkOrWriteDatasetJson(dataset, out, source);
        out.deleteTempFiles("");
        out.deleteTempFiles(DatasetFiles.SHARDS_DIR);
        writeNullTextIfMissing(out);

        Map<String, Long> shardFiles = out.list(DatasetFiles.SHARDS_DIR);
        List<Shard> pending = new ArrayList<>();
        for (Shard s : shards) {
            if (!isDone(shardFiles, s.index())) {
                pending.add(s);
            }
        }
        int pendingVideos = pending.stream().mapToInt(s -> s.videos().size()).sum();
        ShardsRun done = pending.isEmpty() ? new ShardsRun(0, 0, 0, cfg.threads())
                : runner.run(pending, info, shards.size());

        Totals totals = rebuildManifests(out, shards.size());
        LatentStats latents = measureLatents(out, shards.size(), LATENT_STATS_CLIPS);
        out.writeIfChanged(DatasetFiles.DATASET_JSON, info.withLatents(latents).toJson());
        double seconds = (System.nanoTime() - t0) / 1e9;
        int selected = shards.stream().mapToInt(s -> s.videos().size()).sum();
        PreprocessSummary summary = new PreprocessSummary(selected, totals.videosOk, totals.videosBad,
                pendingVideos, shards.size(), pending.size(), shards.size() - pending.size(), totals.clips,
                done.clipsWritten(), totals.captions, totals.shardBytes, seconds, done.decodeSeconds(),
                done.encodeSeconds(), done.workers(), latents);
        out.write(DatasetFiles.SUMMARY, summary.toJson());
        return summary;
    }

    /** The local engine: {@code threads} workers, videos in shard order, each shard written when its videos are done. */
    private ShardsRun runLocally(MsrVttDataset dataset, OutputStore out, List<Shard> pending, DatasetInfo info,
            int shardCount) throws IOException {
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
                    bar.extra("shard " + (s.index() + 1) + "/" + shardCount + ", bad " + bad).step();
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
        return new ShardsRun(clipsWritten, encoder.decodeNanos.sum() / 1e9, encoder.encodeNanos.sum() / 1e9,
                cfg.threads());
    }

    /**
     * Encodes one shard's videos on the calling thread, then writes the shard: what each task of a distributed run
     * does. A bad video is listed, not thrown; a failing model throws. An interrupted thread stops between videos
     * (an {@link InterruptedIOException}) without writing.
     *
     * @param dataset where the shard's videos are found
     * @param cfg the clip geometry (frames, fps, size, clips per video), as in {@code info}
     * @param info the run's dataset.json; the encoders must be the ones it names
     */
    public static ShardResult encodeShard(MsrVttDataset dataset, Shard shard, PreprocessConfig cfg, DatasetInfo info,
            TextEncoder text, LatentCodec codec, OutputStore out) throws IOException {
        if (!text.id().equals(info.textEncoderId()) || !codec.id().equals(info.codecId())) {
            throw new IllegalArgumentException("encoders " + text.id() + " and " + codec.id() + " are not the ones "
                    + "dataset.json names: " + info.textEncoderId() + " and " + info.codecId());
        }
        if (cfg.frames() != info.frames() || cfg.fps() != info.fps() || cfg.size() != info.size()
                || cfg.clipsPerVideo() != info.clipsPerVideo()) {
            throw new IllegalArgumentException("the clip settings differ from dataset.json's");
        }
        VideoEncoder encoder = new VideoEncoder(dataset, cfg, text, codec, FfmpegDecoder.onPath());
        List<VideoOutcome> outcomes = new ArrayList<>(shard.videos().size());
        for (MsrVttClip clip : shard.videos()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted before " + clip.videoId() + " of shard " + shard.index());
            }
            outcomes.add(encoder.encode(clip));
        }
        ShardWriter.Written w = ShardWriter.write(out, shard.index(), outcomes, info, text.id(), codec.id());
        return new ShardResult(shard.index(), w.videosOk(), w.videosBad(), w.clips(),
                encoder.decodeNanos.sum() / 1e9, encoder.encodeNanos.sum() / 1e9);
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
    private static boolean isDone(Map<String, Long> shardFiles, int shard) {
        Long jsonl = shardFiles.get(DatasetFiles.shardManifest(shard));
        return jsonl != null && (jsonl == 0 || shardFiles.containsKey(DatasetFiles.shardTensors(shard)));
    }

    /**
     * The selected videos (splits, natural video-id order, the first {@code limit}) in shards of
     * {@code videosPerShard}; shard <i>i</i> holds videos <i>iG</i> to <i>iG+G-1</i>.
     *
     * @throws IOException when the selection is empty
     */
    public List<Shard> plan(MsrVttDataset dataset) throws IOException {
        List<MsrVttClip> clips = new ArrayList<>(dataset.clips().stream().filter(cfg.splits()::takes)
                .toList());
        clips.sort((a, b) -> VideoIdOrder.INSTANCE.compare(a.videoId(), b.videoId()));
        List<MsrVttClip> selected = cfg.limit() > 0 && clips.size() > cfg.limit() ? clips.subList(0, cfg.limit())
                : clips;
        if (selected.isEmpty()) {
            throw new IOException(cfg.data() + ": no videos in the selected splits " + splitNames());
        }
        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i * cfg.videosPerShard() < selected.size(); i++) {
            shards.add(new Shard(i, selected.subList(i * cfg.videosPerShard(),
                    Math.min(selected.size(), (i + 1) * cfg.videosPerShard()))));
        }
        return shards;
    }

    private List<String> splitNames() {
        return cfg.splits().names();
    }

    /**
     * Describes this run; an existing dataset.json must agree on everything that decides shard content (its
     * {@code created} is kept), else the run is refused before anything is written.
     */
    private DatasetInfo checkOrWriteDatasetJson(MsrVttDataset dataset, OutputStore out, String source)
            throws IOException {
        DatasetInfo info = new DatasetInfo(DatasetInfo.FORMAT_VERSION, text.id(), text.dim(), text.maxTokens(),
                codec.id(), codec.scalingFactor(), codec.latentChannels(), codec.downsample(), cfg.frames(), cfg.fps(),
                cfg.size(), cfg.clipsPerVideo(), cfg.videosPerShard(), splitNames(), cfg.limit(),
                source, sha256(dataset.annotations().toJson()),
                clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        // Where the encoders' files are, so a model trained on this dataset can name them (not compared on reruns).
        OnnxTextEncoder onnxText = text instanceof OnnxTextEncoder t ? t : null;
        OnnxVae vae = codec instanceof OnnxVae v ? v : null;
        info = info.withModelFiles(onnxText == null ? null : absolute(onnxText.modelFile()),
                onnxText == null ? null : absolute(onnxText.tokenizerFile()),
                vae == null ? null : absolute(vae.encoderFile()), vae == null ? null : absolute(vae.decoderFile()));
        String where = out.location();
        if (out.isFile(DatasetFiles.DATASET_JSON)) {
            DatasetInfo existing = DatasetInfo.parse(out.read(DatasetFiles.DATASET_JSON),
                    where + "/" + DatasetFiles.DATASET_JSON);
            List<String> diffs = info.differencesFrom(existing);
            if (!diffs.isEmpty()) {
                throw new IOException(where + " holds a dataset made with other settings, which this run would mix "
                        + "with its own: " + String.join("; ", diffs) + ". Use another --out, or delete " + where);
            }
            // The measured latents too: the run measures them again at its end, and an unchanged file is not rewritten
            info = info.withCreated(existing.created()).withLatents(existing.latents());
        } else if (out.list(DatasetFiles.SHARDS_DIR).keySet().stream()
                .anyMatch(f -> f.startsWith(DatasetFiles.SHARDS_DIR + "/shard-"))) {
            throw new IOException(where + " has shards but no dataset.json, so what made them is unknown; use "
                    + "another --out, or delete " + where);
        }
        out.writeIfChanged(DatasetFiles.DATASET_JSON, info.toJson());
        return info;
    }

    /** Clips whose latents are measured at the end of a run (a few MB read; the same clips for any engine). */
    static final int LATENT_STATS_CLIPS = 256;

    /**
     * The mean and std of the scaled latents of the first {@code maxClips} clips in shard order, read back from the
     * written shards; {@code null} when there are none. Recorded in dataset.json and printed in the summary, so a
     * scaling factor that does not fit the codec shows at once.
     */
    static LatentStats measureLatents(OutputStore out, int shardCount, int maxClips) throws IOException {
        Map<String, Long> files = out.list(DatasetFiles.SHARDS_DIR);
        double sum = 0;
        double sumSq = 0;
        long count = 0;
        int clips = 0;
        for (int i = 0; i < shardCount && clips < maxClips; i++) {
            String rel = DatasetFiles.shardTensors(i);
            if (!files.containsKey(rel)) {
                continue; // a shard of bad videos only
            }
            Path tmp = Files.createTempFile("t2v-shard-", ".safetensors");
            try {
                Files.write(tmp, out.read(rel));
                INDArray latents = Safetensors.read(tmp).get(DatasetFiles.LATENTS); // [N,F,C,h,w]
                int n = (int) Math.min(latents.size(0), maxClips - clips);
                for (float v : latents.get(NDArrayIndex.interval(0, n)).dup().data().asFloat()) {
                    sum += v;
                    sumSq += (double) v * v;
                    count++;
                }
                clips += n;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return count == 0 ? null : LatentStats.of(sum, sumSq, count, clips);
    }

    private static String absolute(Path p) {
        return p == null ? null : p.toAbsolutePath().normalize().toString();
    }

    private void writeNullTextIfMissing(OutputStore out) throws IOException {
        if (out.isFile(DatasetFiles.NULL_TEXT)) {
            return; // dataset.json vouched that the same text encoder wrote it
        }
        VideoEncoder.Captions empty = VideoEncoder.trimmed(text.encode(List.of("")), text.id());
        int n = empty.tokens()[0];
        float[] mask = new float[n];
        Arrays.fill(mask, 1f);
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put(DatasetFiles.EMBEDDING, Nd4j.create(empty.rows().get(0), new long[] {n, text.dim()}, DataType.FLOAT));
        t.put(DatasetFiles.MASK, Nd4j.create(mask, new long[] {n}, DataType.FLOAT));
        out.writeVia(DatasetFiles.NULL_TEXT,
                tmp -> Safetensors.write(tmp, t, Map.of("format", "t2v-null-text-1", "text_encoder", text.id())));
    }

    private record Totals(int videosOk, int videosBad, int clips, int captions, long shardBytes) {
    }

    /**
     * Concatenates every shard's .jsonl into manifest.jsonl and every shard's bad list into bad-videos.tsv (both in
     * shard order, hence video-id order), writing each only if it changed. The manifest streams through a temp file:
     * at millions of clips it outgrows a Java string.
     */
    private static Totals rebuildManifests(OutputStore out, int shardCount) throws IOException {
        List<String> badRows = new ArrayList<>();
        int videosOk = 0;
        int clips = 0;
        int captions = 0;
        long bytes = 0;
        Map<String, Long> shardFiles = out.list(DatasetFiles.SHARDS_DIR);
        Path manifest = Files.createTempFile("t2v-manifest-", ".jsonl");
        try {
            try (Writer w = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8)) {
                for (int i = 0; i < shardCount; i++) {
                    String jsonl = DatasetFiles.shardManifest(i);
                    List<String> lines = lines(out.read(jsonl));
                    Set<String> videos = new HashSet<>(); // a video's clips are all in its shard
                    Set<String> captionBlocks = new HashSet<>();
                    for (int k = 0; k < lines.size(); k++) {
                        String line = lines.get(k);
                        if (line.isBlank()) {
                            continue;
                        }
                        ManifestEntry e = ManifestEntry.parse(line, out.location() + "/" + jsonl + " line " + (k + 1));
                        videos.add(e.videoId());
                        if (captionBlocks.add(e.captionFirst() + ":" + e.captionCount())) {
                            captions += e.captionCount();
                        }
                        clips++;
                        w.write(line);
                        w.write('\n');
                    }
                    videosOk += videos.size();
                    String badFile = DatasetFiles.shardBadVideos(i);
                    if (shardFiles.containsKey(badFile)) {
                        lines(out.read(badFile)).stream().skip(1).filter(r -> !r.isBlank()).forEach(badRows::add);
                    }
                    bytes += shardFiles.getOrDefault(DatasetFiles.shardTensors(i), 0L);
                }
            }
            out.writeIfChanged(DatasetFiles.MANIFEST, manifest);
        } finally {
            Files.deleteIfExists(manifest);
        }
        out.writeIfChanged(DatasetFiles.BAD_VIDEOS, ShardWriter.tsv(badRows));
        return new Totals(videosOk, badRows.size(), clips, captions, bytes);
    }

    private static List<String> lines(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8).lines().toList();
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
