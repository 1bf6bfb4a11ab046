package dev.t2v.data.preprocess;

import dev.t2v.data.msrvtt.Split;
import dev.t2v.data.msrvtt.SplitSelection;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Preprocessor} does.
 *
 * @param data the MSR-VTT-format folder (annotation + videos)
 * @param out the output directory (created if needed; an earlier run's output is resumed)
 * @param frames F, frames per clip (1: image mode)
 * @param fps the clips' frame rate
 * @param size S: frames are centre-cropped to a square and resized to S x S before encoding
 * @param clipsPerVideo clip windows per video ({@link ClipWindows})
 * @param videosPerShard G, videos per shard: the unit of resumption
 * @param threads videos decoded and encoded at once
 * @param limit the most videos to take, in video-id order (0: all)
 * @param splits the splits whose videos are taken: official, or the 9k / 1k-A retrieval splits
 */
public record PreprocessConfig(Path data, Path out, int frames, double fps, int size, int clipsPerVideo,
        int videosPerShard, int threads, int limit, SplitSelection splits) {

    public static final int DEFAULT_FRAMES = 8;
    public static final double DEFAULT_FPS = 8;
    public static final int DEFAULT_SIZE = 128;
    public static final int DEFAULT_CLIPS_PER_VIDEO = 2;
    /** 32 videos of 2 clips: about 2 MB of latents at the defaults, so a killed run loses little work. */
    public static final int DEFAULT_VIDEOS_PER_SHARD = 32;
    public static final int DEFAULT_THREADS = 2;
    public static final int MAX_FRAMES = 256;
    public static final int MAX_SIZE = 2048;
    public static final int MAX_CLIPS_PER_VIDEO = 100;
    public static final int MAX_VIDEOS_PER_SHARD = 100_000;
    public static final int MAX_THREADS = 256;

    public PreprocessConfig {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(out, "out");
        if (frames < 1 || frames > MAX_FRAMES) {
            throw new IllegalArgumentException("frames must be in [1, " + MAX_FRAMES + "], got " + frames);
        }
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("fps must be in (0, 1000], got " + fps);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be in [1, " + MAX_SIZE + "], got " + size);
        }
        if (clipsPerVideo < 1 || clipsPerVideo > MAX_CLIPS_PER_VIDEO) {
            throw new IllegalArgumentException("clipsPerVideo must be in [1, " + MAX_CLIPS_PER_VIDEO + "], got "
                    + clipsPerVideo);
        }
        if (videosPerShard < 1 || videosPerShard > MAX_VIDEOS_PER_SHARD) {
            throw new IllegalArgumentException("videosPerShard must be in [1, " + MAX_VIDEOS_PER_SHARD + "], got "
                    + videosPerShard);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be in [1, " + MAX_THREADS + "], got " + threads);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0 (0: all videos), got " + limit);
        }
        Objects.requireNonNull(splits, "splits");
    }

    /** The defaults: 8 frames at 8 fps, 128 px, 2 clips per video, 32 videos per shard, 2 threads, every split. */
    public static PreprocessConfig defaults(Path data, Path out) {
        return new PreprocessConfig(data, out, DEFAULT_FRAMES, DEFAULT_FPS, DEFAULT_SIZE, DEFAULT_CLIPS_PER_VIDEO,
                DEFAULT_VIDEOS_PER_SHARD, DEFAULT_THREADS, 0, SplitSelection.ALL);
    }

    public PreprocessConfig withClip(int newFrames, double newFps, int newSize, int newClipsPerVideo) {
        return new PreprocessConfig(data, out, newFrames, newFps, newSize, newClipsPerVideo, videosPerShard, threads,
                limit, splits);
    }

    public PreprocessConfig withOut(Path newOut) {
        return new PreprocessConfig(data, newOut, frames, fps, size, clipsPerVideo, videosPerShard, threads, limit,
                splits);
    }

    public PreprocessConfig withVideosPerShard(int n) {
        return new PreprocessConfig(data, out, frames, fps, size, clipsPerVideo, n, threads, limit, splits);
    }

    public PreprocessConfig withThreads(int n) {
        return new PreprocessConfig(data, out, frames, fps, size, clipsPerVideo, videosPerShard, n, limit, splits);
    }

    public PreprocessConfig withLimit(int n) {
        return new PreprocessConfig(data, out, frames, fps, size, clipsPerVideo, videosPerShard, threads, n, splits);
    }

    public PreprocessConfig withSplits(SplitSelection newSplits) {
        return new PreprocessConfig(data, out, frames, fps, size, clipsPerVideo, videosPerShard, threads, limit,
                newSplits);
    }

    /** These settings taking the given official splits. */
    public PreprocessConfig withSplits(Set<Split> officialSplits) {
        return withSplits(SplitSelection.official(officialSplits));
    }
}
