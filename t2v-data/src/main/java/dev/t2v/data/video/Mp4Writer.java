package dev.t2v.data.video;

import dev.t2v.core.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.codecs.h264.encode.RateControl;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.codecs.h264.io.model.VUIParameters;
import org.jcodec.common.Codec;
import org.jcodec.common.MuxerTrack;
import org.jcodec.common.VideoCodecMeta;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Size;
import org.jcodec.containers.mp4.muxer.MP4Muxer;

/**
 * Writes a {@link Video} as an MP4 file with one H.264 (Constrained Baseline, CAVLC) track, using JCodec's encoder.
 *
 * <p>Colour: frames are converted to limited-range BT.601 Y'CbCr 4:2:0 here, and the SPS carries a VUI saying so
 * (video_full_range_flag=0, BT.601 primaries/transfer/matrix), so ffmpeg and browsers decode the colours right.
 * JCodec's own RGB path writes full-range samples that decoders read as limited range (about 28 dB).
 *
 * <p>Rate control is a constant QP for every frame (JCodec's default controller drifts with content). At the default
 * QP 20 a colour-bars-and-gradients pattern round-trips at 38–39 dB. A frame that would overflow the encoder's slice
 * buffer (QP far below 20 on noise) is re-encoded at a coarser QP rather than failing.
 *
 * <p>Width and height must be even (4:2:0 chroma and the SPS crop are in units of 2 pixels); other sizes are
 * rejected rather than silently padded. The file is written atomically.
 *
 * @param qp          H.264 quantiser for every frame, 0 (best) to 51 (smallest)
 * @param keyInterval frames between IDR frames (1 = all intra)
 */
public record Mp4Writer(int qp, int keyInterval) {
    /** QP 20 and an IDR frame every 25 frames. */
    public static final Mp4Writer DEFAULT = new Mp4Writer(20, 25);

    private static final int QP_RETRY_STEP = 6;

    public Mp4Writer {
        if (qp < 0 || qp > 51) {
            throw new IllegalArgumentException("qp must be in [0, 51], got " + qp);
        }
        if (keyInterval < 1 || keyInterval > 1024) {
            throw new IllegalArgumentException("keyInterval must be in [1, 1024], got " + keyInterval);
        }
    }

    /** Encodes the video to {@code out} (replaced atomically if it exists). */
    public void write(Video video, Path out) throws IOException {
        int w = video.width();
        int h = video.height();
        if ((w & 1) != 0 || (h & 1) != 0) {
            throw new IllegalArgumentException("cannot write " + out + ": H.264 4:2:0 needs even width and height, got "
                    + w + "x" + h + " (crop or pad the frames to an even size first)");
        }
        FrameRate rate = FrameRate.of(video.fps());
        AtomicFiles.writeVia(out, tmp -> encode(video, tmp, rate));
    }

    private void encode(Video video, Path file, FrameRate rate) throws IOException {
        int w = video.width();
        int h = video.height();
        ConstantQp rc = new ConstantQp();
        H264Encoder encoder = new LabelledEncoder(rc);
        encoder.setKeyInterval(keyInterval);
        Picture pic = Picture.create(w, h, ColorSpace.YUV420J);
        int[] rgb = new int[w * h];
        // Generous: the encoder's own slice buffer (w*h bytes) overflows before this one does.
        ByteBuffer buf = ByteBuffer.allocate(w * h * 2 + (1 << 16));
        try (FileChannelWrapper ch = NIOUtils.writableChannel(file.toFile())) {
            MP4Muxer muxer = MP4Muxer.createMP4MuxerToChannel(ch);
            MuxerTrack track = muxer.addVideoTrack(Codec.H264,
                    VideoCodecMeta.createSimpleVideoCodecMeta(new Size(w, h), ColorSpace.YUV420J));
            for (int i = 0; i < video.frameCount(); i++) {
                BufferedImage frame = video.frames().get(i);
                frame.getRGB(0, 0, w, h, rgb, 0, w);
                YuvColor.BT601_LIMITED.rgbToYuv420(rgb, w, h, pic.getPlaneData(0), pic.getPlaneData(1),
                        pic.getPlaneData(2));
                int gopIndex = i % keyInterval;
                boolean idr = gopIndex == 0;
                ByteBuffer data = encodeFrame(encoder, rc, pic, buf, idr, gopIndex);
                ByteBuffer copy = ByteBuffer.allocate(data.remaining());
                copy.put(data).flip();
                track.addFrame(Packet.createPacket(copy, (long) i * rate.duration(), rate.timescale(),
                        rate.duration(), i, idr ? Packet.FrameType.KEY : Packet.FrameType.INTER, null));
            }
            muxer.finish();
        }
        // The muxer stamps the wall clock into the headers; zero it so equal videos give equal bytes.
        Files.write(file, Mp4Timestamps.zeroed(Files.readAllBytes(file)));
    }

    private ByteBuffer encodeFrame(H264Encoder encoder, ConstantQp rc, Picture pic, ByteBuffer buf, boolean idr,
            int frameNumber) {
        // We drive frame types ourselves (doEncodeFrame) so a retry does not advance JCodec's GOP counter.
        for (int frameQp = qp; ; frameQp = Math.min(51, frameQp + QP_RETRY_STEP)) {
            rc.qp = frameQp;
            buf.clear();
            try {
                return encoder.doEncodeFrame(pic, buf, idr, frameNumber, idr ? SliceType.I : SliceType.P);
            } catch (BufferOverflowException e) {
                if (frameQp == 51) {
                    throw new IllegalStateException("H.264 frame does not fit the encoder buffer even at QP 51", e);
                }
            }
        }
    }

    /** A rational frame rate for the MP4 time base, exact for integer and NTSC (n*1000/1001) rates. */
    record FrameRate(int timescale, int duration) {
        static FrameRate of(double fps) {
            long n = Math.round(fps);
            if (Math.abs(fps - n) < 1e-6) {
                return new FrameRate((int) n, 1);
            }
            long ntsc = Math.round(fps * 1001 / 1000);
            if (Math.abs(fps - ntsc * 1000.0 / 1001) < 1e-6) {
                return new FrameRate((int) (ntsc * 1000), 1001);
            }
            return new FrameRate((int) Math.round(fps * 1000), 1000);
        }
    }

    /** Same QP for every macroblock of every frame: JCodec's encoder asks the controller per picture and per MB. */
    private static final class ConstantQp implements RateControl {
        int qp;

        @Override
        public int startPicture(Size sz, int maxSize, SliceType sliceType) {
            return qp;
        }

        @Override
        public int initialQpDelta() {
            return 0;
        }

        @Override
        public int accept(int bits) {
            return 0;
        }
    }

    /** JCodec's encoder with a VUI that declares limited-range BT.601, so decoders do not guess. */
    private static final class LabelledEncoder extends H264Encoder {
        LabelledEncoder(RateControl rc) {
            super(rc);
        }

        @Override
        public SeqParameterSet initSPS(Size sz) {
            SeqParameterSet sps = super.initSPS(sz);
            VUIParameters vui = new VUIParameters();
            vui.videoSignalTypePresentFlag = true;
            vui.videoFormat = 5; // unspecified
            vui.videoFullRangeFlag = false;
            vui.colourDescriptionPresentFlag = true;
            vui.colourPrimaries = 6; // SMPTE 170M (BT.601 525)
            vui.transferCharacteristics = 6;
            vui.matrixCoefficients = 6;
            sps.vuiParams = vui;
            return sps;
        }
    }
}
