package dev.t2v.train.dataset;

import dev.t2v.core.bundle.NullTextEmbedding;
import dev.t2v.core.io.Safetensors;
import dev.t2v.data.manifest.DatasetFiles;
import dev.t2v.data.manifest.DatasetInfo;
import dev.t2v.data.manifest.ManifestEntry;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The clips of a preprocessed dataset ({@code t2v preprocess} output) for training: deterministic, stateless batches.
 *
 * <p>A batch is a pure function of {@code (seed, epoch, position)}: the epoch's clip order is a shuffle seeded by
 * {@code (seed, epoch)}, batch {@code position} takes the next {@code batchSize} clips of that order, and each clip's
 * caption is drawn by a generator seeded by {@code (seed, epoch, clip index)}. A trainer that saves its
 * {@code (epoch, position)} cursor therefore resumes on exactly the batches it would have seen.
 *
 * <p>Epochs drop the last partial batch ({@link #batchesPerEpoch}), so every batch has {@code batchSize} clips and
 * the clips left over differ from epoch to epoch. {@link #clips} builds a batch from any clip indices (e.g. a whole
 * validation split, partial last batch included).
 *
 * <p>Shards are memory-mapped: memory use is bounded by the OS page cache, not the heap, and {@link #batch} copies
 * only the selected clips. Safe for concurrent calls; {@link #close} drops the mappings.
 */
public final class ClipDataset implements AutoCloseable {
    private static final long SHUFFLE_SALT = 0x5348_5546_464C_4531L;
    private static final long CAPTION_SALT = 0x4341_5054_494F_4E31L;

    private final Path dir;
    private final DatasetInfo info;
    private final NullTextEmbedding nullText;
    private final String manifestSha256;
    private final List<ManifestEntry> entries;
    private final MappedShard[] shardOf;
    private volatile Permutation lastPermutation;
    private volatile boolean closed;

    private record Permutation(long seed, long epoch, int[] order) {
    }

    private ClipDataset(Path dir, DatasetInfo info, NullTextEmbedding nullText, String manifestSha256,
            List<ManifestEntry> entries, MappedShard[] shardOf) {
        this.dir = dir;
        this.info = info;
        this.nullText = nullText;
        this.manifestSha256 = manifestSha256;
        this.entries = List.copyOf(entries);
        this.shardOf = shardOf;
    }

    /**
     * Opens a preprocessed directory, keeping the clips of the given splits ({@code train}, {@code validate},
     * {@code test}) in manifest order. Every referenced shard is mapped and checked against dataset.json and the
     * manifest, so a damaged dataset fails here, naming the file, rather than mid-training.
     */
    public static ClipDataset open(Path preprocessedDir, Set<String> splits) throws IOException {
        if (splits == null || splits.isEmpty()) {
            throw new IllegalArgumentException("choose at least one split among train, validate, test");
        }
        for (String s : splits) {
            if (!Set.of("train", "validate", "test").contains(s)) {
                throw new IllegalArgumentException("unknown split '" + s + "'; expected train, validate or test");
            }
        }
        DatasetInfo info = DatasetInfo.read(preprocessedDir.resolve(DatasetFiles.DATASET_JSON));
        Path manifest = preprocessedDir.resolve(DatasetFiles.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new NoSuchFileException(manifest.toString(), null,
                    "no manifest.jsonl (did t2v preprocess finish? rerun it to complete the directory)");
        }
        byte[] manifestBytes = Files.readAllBytes(manifest);
        List<ManifestEntry> selected = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(manifestBytes),
                StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                ManifestEntry e = ManifestEntry.parse(line, manifest + " line " + lineNo);
                if (e.frames() != info.frames() || e.size() != info.size()) {
                    throw new IOException(manifest + " line " + lineNo + ": clip " + e.clipId() + " has " + e.frames()
                            + " frames of " + e.size() + " px, dataset.json says " + info.frames() + " of "
                            + info.size());
                }
                if (splits.contains(e.split())) {
                    selected.add(e);
                }
            }
        }
        NullTextEmbedding nullText = readNullText(preprocessedDir.resolve(DatasetFiles.NULL_TEXT), info);
        Map<String, MappedShard> shards = new HashMap<>();
        MappedShard[] shardOf = new MappedShard[selected.size()];
        for (int i = 0; i < selected.size(); i++) {
            ManifestEntry e = selected.get(i);
            MappedShard shard = shards.get(e.shard());
            if (shard == null) {
                Path file = preprocessedDir.resolve(e.shard()).normalize();
                if (!file.startsWith(preprocessedDir.normalize())) {
                    throw new IOException(manifest + ": clip " + e.clipId() + " refers to " + e.shard()
                            + ", outside the dataset directory");
                }
                shard = MappedShard.open(file, info);
                shards.put(e.shard(), shard);
            }
            if (e.index() >= shard.clips || e.captionFirst() + e.captionCount() > shard.captionCount()) {
                throw new IOException(manifest + ": clip " + e.clipId() + " (index " + e.index() + ", captions ["
                        + e.captionFirst() + "," + e.captionCount() + "]) is outside " + shard.file + ", which has "
                        + shard.clips + " clips and " + shard.captionCount() + " captions");
            }
            shardOf[i] = shard;
        }
        return new ClipDataset(preprocessedDir, info, nullText, sha256(manifestBytes), selected, shardOf);
    }

    private static NullTextEmbedding readNullText(Path file, DatasetInfo info) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no null_text.safetensors (rerun t2v preprocess)");
        }
        Map<String, INDArray> t = Safetensors.read(file);
        INDArray e = t.get(DatasetFiles.EMBEDDING);
        INDArray m = t.get(DatasetFiles.MASK);
        if (e == null || m == null || e.rank() != 2 || e.size(1) != info.textDim()) {
            throw new IOException(file + ": expected 'embedding' [T0," + info.textDim() + "] and 'mask' [T0]");
        }
        try {
            return new NullTextEmbedding(e.castTo(DataType.FLOAT), m.castTo(DataType.FLOAT));
        } catch (IllegalArgumentException ex) {
            throw new IOException(file + ": " + ex.getMessage(), ex);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }

    /** The dataset directory. */
    public Path directory() {
        return dir;
    }

    /** Clips in the selected splits. */
    public int size() {
        return entries.size();
    }

    /** The parsed dataset.json. */
    public DatasetInfo info() {
        return info;
    }

    /** The empty prompt's embedding, for classifier-free guidance. */
    public NullTextEmbedding nullText() {
        return nullText;
    }

    /** SHA-256 (hex) of manifest.jsonl as a whole (all splits), for provenance. */
    public String manifestSha256() {
        return manifestSha256;
    }

    /** The selected clips' manifest lines, in dataset order (the order {@link #clips} indexes). */
    public List<ManifestEntry> entries() {
        return entries;
    }

    /** The captions of clip {@code clip}, in row order; empty when the shard does not carry caption text. */
    public List<String> captions(int clip) {
        ManifestEntry e = entries.get(clip);
        List<String> out = new ArrayList<>(e.captionCount());
        for (int r = 0; r < e.captionCount(); r++) {
            String c = shardOf[clip].caption(e.captionFirst() + r);
            if (c == null) {
                return List.of();
            }
            out.add(c);
        }
        return out;
    }

    /**
     * Full batches per epoch: {@code size() / batchSize}, the remainder dropped (0 when the dataset is smaller than a
     * batch).
     */
    public int batchesPerEpoch(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        return size() / batchSize;
    }

    /**
     * Deterministic batch for {@code (seed, epoch, position)}: clips {@code [position*batchSize, (position+1)*batchSize)}
     * of the epoch's seeded shuffle, one caption per clip drawn by a generator derived from
     * {@code (seed, epoch, clip index)}, text cut or zero-padded to {@code textTokens} with the mask to match.
     *
     * @param position the batch index within the epoch, in {@code [0, batchesPerEpoch(batchSize))}
     */
    public TrainingBatch batch(long seed, long epoch, int position, int batchSize, int textTokens) {
        int batches = batchesPerEpoch(batchSize);
        if (position < 0 || position >= batches) {
            throw new IndexOutOfBoundsException("position " + position + " is outside the epoch's " + batches
                    + " batches of " + batchSize + " (" + size() + " clips)");
        }
        int[] order = permutation(seed, epoch);
        int[] chosen = Arrays.copyOfRange(order, position * batchSize, (position + 1) * batchSize);
        return clips(chosen, seed, epoch, textTokens);
    }

    /**
     * A batch of the given clips (dataset indices, in that order), captions drawn as in {@link #batch}.
     */
    public TrainingBatch clips(int[] clipIndices, long seed, long epoch, int textTokens) {
        if (closed) {
            throw new IllegalStateException("the dataset is closed");
        }
        if (clipIndices == null || clipIndices.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one clip");
        }
        if (textTokens < 1) {
            throw new IllegalArgumentException("textTokens must be >= 1, got " + textTokens);
        }
        int b = clipIndices.length;
        int d = info.textDim();
        int perClip = info.latentFloatsPerClip();
        float[] latents = new float[b * perClip];
        float[] text = new float[b * textTokens * d];
        float[] mask = new float[b * textTokens];
        short[] scratch = new short[textTokens * d];
        List<String> ids = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            int clip = clipIndices[i];
            if (clip < 0 || clip >= size()) {
                throw new IndexOutOfBoundsException("clip " + clip + " of " + size());
            }
            ManifestEntry e = entries.get(clip);
            MappedShard shard = shardOf[clip];
            shard.copyLatents(e.index(), latents, i * perClip);
            int row = e.captionFirst() + captionChoice(seed, epoch, clip, e.captionCount());
            int n = shard.copyText(row, textTokens, text, i * textTokens * d, scratch);
            Arrays.fill(mask, i * textTokens, i * textTokens + n, 1f);
            ids.add(e.clipId());
        }
        int h = info.latentSize();
        return new TrainingBatch(
                Nd4j.create(latents, new long[] {b, info.frames(), info.latentChannels(), h, h}, DataType.FLOAT),
                Nd4j.create(text, new long[] {b, textTokens, d}, DataType.FLOAT),
                Nd4j.create(mask, new long[] {b, textTokens}, DataType.FLOAT), ids);
    }

    /** Which of a clip's {@code count} captions it gets in this epoch. */
    static int captionChoice(long seed, long epoch, int clip, int count) {
        return new SplittableRandom(mix(mix(mix(seed ^ CAPTION_SALT) + epoch) + clip)).nextInt(count);
    }

    /** The epoch's clip order (cached for the latest epoch: a trainer asks for many positions of one epoch). */
    int[] permutation(long seed, long epoch) {
        Permutation p = lastPermutation;
        if (p != null && p.seed == seed && p.epoch == epoch) {
            return p.order;
        }
        int n = size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(mix(mix(seed ^ SHUFFLE_SALT) + epoch));
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        lastPermutation = new Permutation(seed, epoch, order);
        return order;
    }

    /** SplitMix64's finaliser: neighbouring inputs give unrelated seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The splits present among the selected clips, sorted. */
    public Set<String> splits() {
        Set<String> s = new TreeSet<>();
        entries.forEach(e -> s.add(e.split()));
        return s;
    }

    @Override
    public void close() {
        // Mapped buffers are released by the garbage collector; dropping the references is all Java allows.
        closed = true;
        Arrays.fill(shardOf, null);
    }
}
