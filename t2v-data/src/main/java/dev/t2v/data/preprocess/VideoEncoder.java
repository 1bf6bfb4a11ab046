package dev.t2v.data.preprocess;

import dev.t2v.data.encode.LatentCodec;
import dev.t2v.data.encode.TextEmbeddings;
import dev.t2v.data.encode.TextEncoder;
import dev.t2v.data.msrvtt.MsrVttClip;
import dev.t2v.data.msrvtt.MsrVttDataset;
import dev.t2v.data.video.FfmpegDecoder;
import dev.t2v.data.video.FrameSampler;
import dev.t2v.data.video.Video;
import dev.t2v.data.video.VideoDecodeException;
import dev.t2v.data.video.VideoReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns one video into its clips' latents and its captions' embeddings. Anything wrong with the video (missing,
 * unreadable, unsupported, too short, no captions) becomes a {@link VideoOutcome.Failed}; failures of the models
 * propagate, because they would fail every video alike. Thread-safe: the encoders' {@code encode} calls are.
 */
final class VideoEncoder {
    private final MsrVttDataset dataset;
    private final PreprocessConfig cfg;
    private final TextEncoder text;
    private final LatentCodec codec;
    private final Optional<FfmpegDecoder> ffmpeg;
    final LongAdder decodeNanos = new LongAdder();
    final LongAdder encodeNanos = new LongAdder();

    VideoEncoder(MsrVttDataset dataset, PreprocessConfig cfg, TextEncoder text, LatentCodec codec,
            Optional<FfmpegDecoder> ffmpeg) {
        this.dataset = dataset;
        this.cfg = cfg;
        this.text = text;
        this.codec = codec;
        this.ffmpeg = ffmpeg;
    }

    VideoOutcome encode(MsrVttClip clip) {
        Optional<Path> found = dataset.findVideo(clip.videoId());
        if (found.isEmpty()) {
            return failed(clip, "-", "video file not found: no " + clip.videoId() + ".mp4 in videos/, videos/all/, "
                    + "TrainValVideo/ or TestVideo/");
        }
        Path file = found.get();
        String rel = relative(file);
        if (clip.captions().isEmpty()) {
            return failed(clip, rel, "no captions in the annotation");
        }
        long t0 = System.nanoTime();
        double[] starts;
        List<Video> windows = new ArrayList<>();
        try (VideoReader reader = VideoReader.open(file, ffmpeg)) {
            double duration = reader.info().durationSeconds();
            starts = ClipWindows.starts(duration, cfg.frames(), cfg.fps(), cfg.clipsPerVideo());
            if (starts.length == 0) {
                return failed(clip, rel, String.format(Locale.ROOT, "too short: %.3f s, a clip of %d frames at %s fps "
                        + "needs %.3f s", duration, cfg.frames(), fmt(cfg.fps()), cfg.frames() / cfg.fps()));
            }
            for (double s : starts) {
                windows.add(new FrameSampler(cfg.frames(), cfg.fps(), s, cfg.size()).sample(reader));
            }
        } catch (VideoDecodeException e) {
            return failed(clip, rel, e.reason());
        } catch (IOException | RuntimeException e) {
            // JCodec and the container parser may fail with anything on a damaged file: the video is bad, not the run.
            return failed(clip, rel, e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            decodeNanos.add(System.nanoTime() - t0);
        }

        long t1 = System.nanoTime();
        try {
            float[] latents = encodeLatents(windows);
            Captions captions = trimmed(text.encode(clip.captions()), text.id());
            return new VideoOutcome.Encoded(clip, starts, latents, captions.rows(), captions.tokens());
        } finally {
            encodeNanos.add(System.nanoTime() - t1);
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private String relative(Path file) {
        Path root = dataset.root().toAbsolutePath().normalize();
        Path abs = file.toAbsolutePath().normalize();
        return (abs.startsWith(root) ? root.relativize(abs) : abs).toString().replace('\\', '/');
    }

    private static VideoOutcome failed(MsrVttClip clip, String path, String reason) {
        return new VideoOutcome.Failed(clip, new BadVideo(clip.videoId(), path, reason));
    }

    /** The windows' frames through the codec: {@code [K*F,3,S,S]} -> {@code [K*F,C,h,w]}, flattened. */
    private float[] encodeLatents(List<Video> windows) {
        INDArray[] parts = windows.stream().map(Video::toTensor).toArray(INDArray[]::new);
        INDArray frames = parts.length == 1 ? parts[0] : Nd4j.concat(0, parts); // K x [F,3,S,S] -> [K*F,3,S,S]
        INDArray z = codec.encode(frames);
        int h = cfg.size() / codec.downsample();
        long[] expected = {frames.size(0), codec.latentChannels(), h, h};
        if (!Arrays.equals(z.shape(), expected)) {
            throw new IllegalStateException("codec " + codec.id() + " returned latents " + Arrays.toString(z.shape())
                    + " for frames " + Arrays.toString(frames.shape()) + "; expected " + Arrays.toString(expected));
        }
        return z.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /** Embeddings trimmed to their masks: {@code rows.get(i)} is {@code [tokens[i], D]} flattened. */
    record Captions(List<float[]> rows, int[] tokens) {
    }

    /** Each row of a batch trimmed to its mask's ones (a prefix: both BERT and CLIP styles pad on the right). */
    static Captions trimmed(TextEmbeddings te, String encoderId) {
        int b = te.batchSize();
        List<float[]> rows = new ArrayList<>(b);
        int[] tokens = new int[b];
        for (int i = 0; i < b; i++) {
            int n = te.tokens(i);
            if (n == 0) {
                throw new IllegalStateException("text encoder " + encoderId + " gave an all-zero mask for row " + i);
            }
            TextEmbeddings row = te.row(i, n);
            if (row.mask().sumNumber().intValue() != n) {
                throw new IllegalStateException("text encoder " + encoderId + " gave a mask with a gap in row " + i
                        + "; expected ones then zeros");
            }
            rows.add(row.embeddings().data().asFloat());
            tokens[i] = n;
        }
        return new Captions(rows, tokens);
    }
}
