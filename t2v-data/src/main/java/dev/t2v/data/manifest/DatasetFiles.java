package dev.t2v.data.manifest;

import java.nio.file.Path;
import java.util.Locale;

/**
 * File names of a preprocessed dataset directory and the tensor names inside a shard.
 *
 * <pre>
 * P/dataset.json                   what made the data: encoders, clip geometry, selection ({@link DatasetInfo})
 * P/null_text.safetensors          the empty prompt's embedding, "embedding" [T0,D] F32 + "mask" [T0] F32
 * P/shards/shard-00007.safetensors "latents" [K,F,C,h,w] F32, "text" [sum T,D] F16, "text_offsets" [n+1] I64
 * P/shards/shard-00007.jsonl       the shard's manifest lines, written last: its presence marks the shard done
 * P/shards/shard-00007.bad.tsv     the shard's unreadable videos (only when it has some), written before the .jsonl
 * P/manifest.jsonl                 every shard's lines in shard order ({@link ManifestEntry})
 * P/bad-videos.tsv                 video_id, path, reason of every skipped video
 * P/summary.json                   counts and throughput of the last run
 * </pre>
 */
public final class DatasetFiles {
    public static final String DATASET_JSON = "dataset.json";
    public static final String NULL_TEXT = "null_text.safetensors";
    public static final String MANIFEST = "manifest.jsonl";
    public static final String BAD_VIDEOS = "bad-videos.tsv";
    public static final String SUMMARY = "summary.json";
    public static final String SHARDS_DIR = "shards";
    /** Held (OS lock) while a preprocessing run writes the directory. */
    public static final String LOCK = ".lock";

    /** Shard tensor names. */
    public static final String LATENTS = "latents";
    public static final String TEXT = "text";
    public static final String TEXT_OFFSETS = "text_offsets";
    /** Null-text tensor names. */
    public static final String EMBEDDING = "embedding";
    public static final String MASK = "mask";
    /** Shard metadata keys. */
    public static final String META_FORMAT = "format";
    public static final String META_VIDEOS = "videos";
    public static final String META_CAPTIONS = "captions";
    public static final String SHARD_FORMAT = "t2v-clip-shard-1";

    /** The header line of {@code bad-videos.tsv} and of the per-shard lists. */
    public static final String BAD_VIDEOS_HEADER = "video_id\tpath\treason";

    private DatasetFiles() {
    }

    /** {@code shards/shard-00007}: the common stem of a shard's files, relative to the dataset directory. */
    public static String shardStem(int shard) {
        if (shard < 0) {
            throw new IllegalArgumentException("shard index must be >= 0, got " + shard);
        }
        return SHARDS_DIR + "/" + String.format(Locale.ROOT, "shard-%05d", shard);
    }

    /** {@code shards/shard-00007.safetensors}, as manifest lines refer to it. */
    public static String shardTensors(int shard) {
        return shardStem(shard) + ".safetensors";
    }

    public static Path shardTensors(Path dir, int shard) {
        return dir.resolve(shardTensors(shard));
    }

    /** {@code shards/shard-00007.jsonl}, relative to the dataset directory. */
    public static String shardManifest(int shard) {
        return shardStem(shard) + ".jsonl";
    }

    public static Path shardManifest(Path dir, int shard) {
        return dir.resolve(shardManifest(shard));
    }

    /** {@code shards/shard-00007.bad.tsv}, relative to the dataset directory. */
    public static String shardBadVideos(int shard) {
        return shardStem(shard) + ".bad.tsv";
    }

    public static Path shardBadVideos(Path dir, int shard) {
        return dir.resolve(shardBadVideos(shard));
    }
}
