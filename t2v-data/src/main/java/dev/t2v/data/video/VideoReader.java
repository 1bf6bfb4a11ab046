package dev.t2v.data.video;

import java.awt.image.BufferedImage;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.stream.IntStream;
import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;

/**
 * Reads an MP4 (H.264) video: probes it, then decodes chosen frames in presentation order as RGB.
 *
 * <p>Opening a file demuxes it with JCodec and reads every H.264 parameter set and slice header ({@link H264Scan}),
 * so unsupported streams fail at {@link #open} with a {@link VideoDecodeException} naming the file and the feature:
 * codecs other than H.264 (e.g. MPEG-4 Part 2), interlaced/MBAFF coding, high bit depth, and empty, truncated or
 * corrupt files. Streams that JCodec would decode silently wrong (temporal direct B-slices, disabled deblocking) are
 * decoded by {@link FfmpegDecoder} when one is given, else rejected with the reason. {@link #decoder()} says which
 * decoder is used.
 *
 * <p>JCodec outputs pictures in decode order; frames here are indexed in presentation order (sorted by composition
 * time). JCodec also labels every picture full-range; the colour range and matrix come from the SPS VUI instead
 * (default: limited-range BT.601, as ffmpeg assumes). Decoding starts at the last IDR picture before the first
 * requested frame and stops after the last one, and only requested frames are converted to RGB.
 *
 * <p>Owns the file channel and JCodec's decoder (including the thread pool JCodec starts for multi-slice frames);
 * close it. Not thread-safe.
 */
public final class VideoReader implements AutoCloseable {
    /** Which decoder produces the frames. */
    public enum Decoder { JCODEC, FFMPEG }

    private final Path file;
    private final Mp4Source source;
    private final H264Scan scan;
    private final VideoInfo info;
    private final Decoder decoder;
    private final String fallbackReason;
    private final FfmpegDecoder ffmpeg;
    /** Presentation index -> decode index. */
    private final int[] decodeIndex;
    private final double[] frameTimes;
    private H264Decoder jcodec;

    private VideoReader(Path file, Mp4Source source, H264Scan scan, FfmpegDecoder ffmpeg) {
        this.file = file;
        this.source = source;
        this.scan = scan;
        this.ffmpeg = scan.misdecodeReason == null ? null : ffmpeg;
        this.decoder = this.ffmpeg == null ? Decoder.JCODEC : Decoder.FFMPEG;
        this.fallbackReason = scan.misdecodeReason;
        int n = source.sampleCount;
        long[] pts = scan.pts;
        this.decodeIndex = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingLong(d -> pts[d]).thenComparingInt(d -> d))
                .mapToInt(Integer::intValue).toArray();
        this.frameTimes = new double[n];
        for (int k = 0; k < n; k++) {
            frameTimes[k] = (pts[decodeIndex[k]] - pts[decodeIndex[0]]) / (double) source.timescale;
        }
        double duration = scan.totalDuration / (double) source.timescale;
        this.info = new VideoInfo(scan.width, scan.height, n / duration, n, duration, "h264", scan.profile);
    }

    /** Opens a video, with the {@code ffmpeg} on {@code PATH} (if any) as the fallback decoder. */
    public static VideoReader open(Path file) throws VideoDecodeException {
        return open(file, FfmpegDecoder.onPath());
    }

    /**
     * Opens a video. {@code fallback} decodes streams JCodec would get wrong; without one they are rejected.
     *
     * @throws VideoDecodeException if the file is missing, empty, truncated, corrupt, not H.264, or uses a feature
     *                              neither decoder path supports
     */
    public static VideoReader open(Path file, Optional<FfmpegDecoder> fallback) throws VideoDecodeException {
        return open(file, fallback, false);
    }

    /**
     * {@code jcodecRegardless}: decode with JCodec even where it is known to be wrong. Only for tests that show the
     * damage the routing avoids.
     */
    static VideoReader open(Path file, Optional<FfmpegDecoder> fallback, boolean jcodecRegardless)
            throws VideoDecodeException {
        Mp4Source src = Mp4Source.open(file);
        try {
            if (!src.fourcc.equals("avc1") && !src.fourcc.equals("avc3")) {
                String name = codecName(src.fourcc);
                throw new VideoDecodeException(file, "unsupported codec " + (name == null ? "" : name + " ") + "('"
                        + src.fourcc + "'): only H.264 is decoded");
            }
            H264Scan scan = H264Scan.scan(src);
            if (scan.misdecodeReason != null && fallback.isEmpty() && !jcodecRegardless) {
                throw new VideoDecodeException(file, "JCodec would decode this stream wrong: "
                        + scan.misdecodeReason + "; put ffmpeg on the PATH to read it");
            }
            if (scan.width <= 0 || scan.height <= 0) {
                throw new VideoDecodeException(file, "corrupt H.264: picture size " + scan.width + "x" + scan.height);
            }
            if (scan.totalDuration <= 0) {
                throw new VideoDecodeException(file, "corrupt MP4: the video samples have no duration");
            }
            return new VideoReader(file, src, scan, jcodecRegardless ? null : fallback.orElse(null));
        } catch (VideoDecodeException | RuntimeException e) {
            src.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    public VideoInfo info() {
        return info;
    }

    /** The decoder {@link #readFrames} uses. */
    public Decoder decoder() {
        return decoder;
    }

    /** Why frames come from ffmpeg rather than JCodec; empty when JCodec decodes them. */
    public Optional<String> fallbackReason() {
        return decoder == Decoder.FFMPEG ? Optional.of(fallbackReason) : Optional.empty();
    }

    /** Presentation time of each frame in seconds, in presentation order, the first frame at 0. */
    public double[] frameTimes() {
        return frameTimes.clone();
    }

    /** Every frame, at the file's average frame rate. */
    public Video readAll() throws VideoDecodeException {
        int[] all = IntStream.range(0, info.frameCount()).toArray();
        return new Video(readFrames(all), info.fps());
    }

    /**
     * Decodes the frames with the given presentation indices (any order, repeats allowed) and returns them in that
     * order as {@link BufferedImage#TYPE_INT_RGB} images; a repeated index gives the same image.
     */
    public List<BufferedImage> readFrames(int[] indices) throws VideoDecodeException {
        if (indices.length == 0) {
            return List.of();
        }
        BitSet wanted = new BitSet(info.frameCount());
        for (int k : indices) {
            if (k < 0 || k >= info.frameCount()) {
                throw new IndexOutOfBoundsException("frame " + k + " of " + file + " which has " + info.frameCount()
                        + " frames");
            }
            wanted.set(k);
        }
        Map<Integer, BufferedImage> byIndex = decoder == Decoder.FFMPEG ? decodeWithFfmpeg(wanted)
                : decodeWithJcodec(wanted);
        List<BufferedImage> out = new ArrayList<>(indices.length);
        for (int k : indices) {
            out.add(byIndex.get(k));
        }
        return out;
    }

    private Map<Integer, BufferedImage> decodeWithFfmpeg(BitSet wanted) throws VideoDecodeException {
        Map<Integer, BufferedImage> out = new HashMap<>();
        int last = wanted.length() - 1;
        int w = info.width();
        int h = info.height();
        int[] rgb = new int[w * h];
        int read = ffmpeg.decode(file, w, h, wanted::get, last, (k, i420) -> {
            scan.color.i420ToRgb(i420, w, h, rgb);
            out.put(k, toImage(rgb, w, h));
        });
        if (read <= last) {
            throw new VideoDecodeException(file, "ffmpeg decoded " + read + " frames, the container lists "
                    + info.frameCount());
        }
        return out;
    }

    private Map<Integer, BufferedImage> decodeWithJcodec(BitSet wantedPresentation) throws VideoDecodeException {
        int n = info.frameCount();
        // Presentation indices -> the decode-order range that produces them.
        int[] presentationOf = new int[n];
        int firstDecode = Integer.MAX_VALUE;
        int lastDecode = -1;
        for (int k = 0; k < n; k++) {
            presentationOf[decodeIndex[k]] = k;
            if (wantedPresentation.get(k)) {
                firstDecode = Math.min(firstDecode, decodeIndex[k]);
                lastDecode = Math.max(lastDecode, decodeIndex[k]);
            }
        }
        int start = firstDecode;
        while (!scan.idr[start]) {
            start--; // scan guarantees sample 0 is IDR
        }
        H264Decoder dec = jcodecDecoder();
        int lumaSize = scan.codedWidth * scan.codedHeight;
        byte[][] buffer = {new byte[lumaSize], new byte[lumaSize >> 2], new byte[lumaSize >> 2]};
        int w = info.width();
        int h = info.height();
        int[] rgb = new int[w * h];
        Map<Integer, BufferedImage> out = new HashMap<>();
        for (int d = start; d <= lastDecode; d++) {
            ByteBuffer data = source.sample(d).getData();
            List<ByteBuffer> nals = H264Scan.splitNals(file, data, scan.avcC.getNalLengthSize(), d);
            Picture pic;
            try {
                pic = dec.decodeFrameFromNals(nals, buffer);
            } catch (RuntimeException e) {
                throw new VideoDecodeException(file, "JCodec failed on sample " + d + " of " + n + " (" + e + ")", e);
            }
            if (pic == null) {
                throw new VideoDecodeException(file, "corrupt H.264: sample " + d + " decoded to no picture");
            }
            int k = presentationOf[d];
            if (wantedPresentation.get(k)) {
                Rect crop = pic.getCrop();
                int cx = crop == null ? 0 : crop.getX();
                int cy = crop == null ? 0 : crop.getY();
                scan.color.yuv420ToRgb(pic.getPlaneData(0), pic.getPlaneWidth(0), pic.getPlaneData(1),
                        pic.getPlaneData(2), pic.getPlaneWidth(1), cx, cy, w, h, rgb);
                out.put(k, toImage(rgb, w, h));
            }
        }
        return out;
    }

    private static BufferedImage toImage(int[] rgb, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }

    private H264Decoder jcodecDecoder() {
        if (jcodec == null) {
            jcodec = new H264Decoder();
            jcodec.addSps(scan.avcC.getSpsList());
            jcodec.addPps(scan.avcC.getPpsList());
        }
        return jcodec;
    }

    @Override
    public void close() {
        if (jcodec != null) {
            shutdownThreads(jcodec);
            jcodec = null;
        }
        source.close();
    }

    /**
     * JCodec's H264Decoder starts a fixed thread pool per instance (used for multi-slice frames) and never stops it;
     * one leaked pool per video adds up over a dataset. Its field is private, so stop it reflectively.
     */
    private static void shutdownThreads(H264Decoder dec) {
        try {
            Field f = H264Decoder.class.getDeclaredField("tp");
            f.setAccessible(true);
            Object tp = f.get(dec);
            if (tp instanceof ExecutorService es) {
                es.shutdownNow();
            }
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // A JCodec without that field leaks at most its idle daemon threads; nothing to fail for.
        }
    }

    /** A readable name for an MP4 sample-entry fourcc, or null when we do not know it. */
    static String codecName(String fourcc) {
        return switch (fourcc) {
            case "mp4v" -> "MPEG-4 Part 2";
            case "hvc1", "hev1" -> "H.265/HEVC";
            case "av01" -> "AV1";
            case "vp09" -> "VP9";
            case "vp08" -> "VP8";
            case "mjpa", "mjpb", "jpeg", "mjpg" -> "Motion JPEG";
            case "apch", "apcn", "apcs", "apco", "ap4h" -> "ProRes";
            case "s263", "h263" -> "H.263";
            default -> null;
        };
    }

    @Override
    public String toString() {
        return "VideoReader[" + file + ", " + info + ", " + decoder + "]";
    }
}
