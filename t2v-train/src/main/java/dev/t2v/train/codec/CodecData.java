package dev.t2v.train.codec;

import dev.t2v.core.util.ProgressBar;
import dev.t2v.data.msrvtt.MsrVttClip;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.msrvtt.Split;
import dev.t2v.core.io.ModelFiles;
import dev.t2v.data.video.FrameSampler;
import dev.t2v.data.video.Video;
import dev.t2v.data.video.VideoReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The codec's frames from an MSR-VTT-format folder (such as the synthetic moving-shapes set): the train split's
 * videos to train on, and videos of the validate and test splits for the held-out PSNR.
 *
 * <p>Each video gives {@code framesPerVideo} frames spread evenly over its duration, centre-cropped and resized to
 * {@code size x size} by {@link FrameSampler} (so the codec sees frames exactly as preprocessing will feed them).
 *
 * @param hash {@code sha256:<hex>} of the annotation (as parsed and re-serialised) followed by, for each video used in
 *     order, its id and the SHA-256 of its file
 * @param heldOutSplits the splits the held-out videos came from
 */
public record CodecData(FrameBank train, FrameBank heldOut, String hash, int trainVideos, int heldOutVideos,
        int framesPerVideo, List<String> heldOutSplits) {
    public CodecData {
        if (train == null || heldOut == null || train.size() != heldOut.size()) {
            throw new IllegalArgumentException("train and held-out frames must both exist and be of one size");
        }
        heldOutSplits = List.copyOf(heldOutSplits);
    }

    /** Frame side S. */
    public int frameSize() {
        return train.size();
    }

    /**
     * The videos a folder offers the codec: its train split, and up to {@code maxHeldOutVideos} validate-then-test
     * videos (in annotation order) held out.
     *
     * @throws IOException when the folder or its annotation is missing or malformed
     * @throws IllegalArgumentException when the folder has no train videos or no validate/test videos
     */
    public static Sources sources(Path root, int maxHeldOutVideos) throws IOException {
        if (maxHeldOutVideos < 1) {
            throw new IllegalArgumentException("maxHeldOutVideos must be >= 1, got " + maxHeldOutVideos);
        }
        MsrVttDataset ds = MsrVttDataset.open(root);
        List<MsrVttClip> train = ds.clips(Split.TRAIN);
        List<MsrVttClip> held = new ArrayList<>();
        List<String> heldSplits = new ArrayList<>();
        for (Split s : List.of(Split.VALIDATE, Split.TEST)) {
            List<MsrVttClip> clips = ds.clips(s);
            int take = Math.min(clips.size(), maxHeldOutVideos - held.size());
            if (take > 0) {
                held.addAll(clips.subList(0, take));
                heldSplits.add(s.jsonName());
            }
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException(root + ": no videos in the train split to train the codec on");
        }
        if (held.isEmpty()) {
            throw new IllegalArgumentException(root + ": no videos in the validate or test split to measure the "
                    + "held-out PSNR on");
        }
        return new Sources(ds, train, held, heldSplits);
    }

    /** The chosen videos of one folder; {@link #load} decodes them. */
    public record Sources(MsrVttDataset dataset, List<MsrVttClip> train, List<MsrVttClip> heldOut,
            List<String> heldOutSplits) {
        public Sources {
            train = List.copyOf(train);
            heldOut = List.copyOf(heldOut);
            heldOutSplits = List.copyOf(heldOutSplits);
        }

        public int videoCount() {
            return train.size() + heldOut.size();
        }

        /**
         * Decodes {@code framesPerVideo} frames of each video at {@code size x size}, stepping {@code bar} once per
         * video.
         *
         * @throws IOException on a missing video file or one that cannot be decoded (naming the file)
         */
        public CodecData load(int size, int framesPerVideo, ProgressBar bar) throws IOException {
            if (size < 8 || framesPerVideo < 1) {
                throw new IllegalArgumentException("bad sizes: frame " + size + ", per video " + framesPerVideo);
            }
            MessageDigest digest = ModelFiles.newSha256();
            digest.update(dataset.annotations().toJson());
            FrameBank trainFrames = frames(dataset, train, size, framesPerVideo, digest, bar);
            FrameBank heldFrames = frames(dataset, heldOut, size, framesPerVideo, digest, bar);
            return new CodecData(trainFrames, heldFrames, "sha256:" + HexFormat.of().formatHex(digest.digest()),
                    train.size(), heldOut.size(), framesPerVideo, heldOutSplits);
        }
    }

    private static FrameBank frames(MsrVttDataset ds, List<MsrVttClip> clips, int size, int perVideo,
            MessageDigest digest, ProgressBar bar) throws IOException {
        List<Video> videos = new ArrayList<>(clips.size());
        for (MsrVttClip clip : clips) {
            Path file = ds.videoFile(clip);
            digest.update((clip.videoId() + "\0" + ModelFiles.sha256(file) + "\n").getBytes(StandardCharsets.UTF_8));
            try (VideoReader reader = VideoReader.open(file)) {
                double duration = reader.info().durationSeconds();
                // Sample times i * duration / perVideo: evenly spread, all inside the video.
                FrameSampler sampler = new FrameSampler(perVideo, Math.min(1000, perVideo / duration), 0, size,
                        FrameSampler.ShortVideo.REPEAT_LAST);
                videos.add(sampler.sample(reader));
            }
            bar.step();
        }
        return FrameBank.of(videos);
    }
}
