package dev.t2v.data.video;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.decode.SliceHeaderReader;
import org.jcodec.codecs.h264.io.model.NALUnit;
import org.jcodec.codecs.h264.io.model.NALUnitType;
import org.jcodec.codecs.h264.io.model.PictureParameterSet;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.codecs.h264.io.model.SliceHeader;
import org.jcodec.codecs.h264.io.model.SliceType;
import org.jcodec.codecs.h264.io.model.VUIParameters;
import org.jcodec.codecs.h264.mp4.AvcCBox;
import org.jcodec.common.io.BitReader;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.containers.mp4.MP4Packet;
import org.jcodec.containers.mp4.boxes.VideoSampleEntry;

/**
 * One pass over an H.264 track's parameter sets and slice headers, before any pixel is decoded. It finds:
 * <ul>
 *   <li>features JCodec cannot decode (it would throw): interlaced/MBAFF, high bit depth, non-4:2:0 chroma, lossless,
 *       constrained intra prediction, data partitioning, profiles other than Baseline/Main/High;</li>
 *   <li>features JCodec decodes silently wrong (measured against ffmpeg): temporal direct prediction in B-slices and
 *       a disabled deblocking filter;</li>
 *   <li>the colour range and matrix from the SPS VUI (JCodec ignores them), the cropped size, and per-sample
 *       timestamps and IDR flags in decode order.</li>
 * </ul>
 * Every slice header is read because x264 and others switch these per slice.
 */
final class H264Scan {
    private static final int PROFILE_BASELINE = 66;
    private static final int PROFILE_MAIN = 77;
    private static final int PROFILE_HIGH = 100;

    final AvcCBox avcC;
    final int width;
    final int height;
    final int codedWidth;
    final int codedHeight;
    final YuvColor color;
    final String profile;
    /** Media presentation time of each sample, in decode order (track timescale units). */
    final long[] pts;
    /** Whether each sample (decode order) starts with an IDR slice, i.e. decoding can start there. */
    final boolean[] idr;
    final long totalDuration;
    /** Why JCodec's output would be wrong for this stream, or null when JCodec decodes it exactly. */
    final String misdecodeReason;

    private H264Scan(AvcCBox avcC, SeqParameterSet sps, long[] pts, boolean[] idr, long totalDuration,
            String misdecodeReason) {
        this.avcC = avcC;
        this.codedWidth = (sps.picWidthInMbsMinus1 + 1) << 4;
        this.codedHeight = SeqParameterSet.getPicHeightInMbs(sps) << 4;
        int cropX = sps.frameCroppingFlag ? (sps.frameCropLeftOffset + sps.frameCropRightOffset) << 1 : 0;
        int cropY = sps.frameCroppingFlag ? (sps.frameCropTopOffset + sps.frameCropBottomOffset) << 1 : 0;
        this.width = codedWidth - cropX;
        this.height = codedHeight - cropY;
        this.color = colorOf(sps.vuiParams);
        this.profile = profileName(sps);
        this.pts = pts;
        this.idr = idr;
        this.totalDuration = totalDuration;
        this.misdecodeReason = misdecodeReason;
    }

    static H264Scan scan(Mp4Source src) throws VideoDecodeException {
        Path file = src.file;
        AvcCBox avcC;
        try {
            avcC = H264Utils.parseAVCC((VideoSampleEntry) src.sampleEntry);
        } catch (RuntimeException e) {
            throw new VideoDecodeException(file, "corrupt H.264 decoder configuration (avcC box): " + e, e);
        }
        if (avcC == null) {
            throw new VideoDecodeException(file, "H.264 track without decoder configuration (avcC box)");
        }
        Map<Integer, SeqParameterSet> spsById = new HashMap<>();
        Map<Integer, PictureParameterSet> ppsById = new HashMap<>();
        // avcC holds parameter sets without their NAL header byte, still escaped.
        for (ByteBuffer b : avcC.getSpsList()) {
            addSps(file, spsById, unescaped(b, 0), "avcC");
        }
        for (ByteBuffer b : avcC.getPpsList()) {
            addPps(file, ppsById, unescaped(b, 0), "avcC");
        }
        int n = src.sampleCount;
        long[] pts = new long[n];
        boolean[] idr = new boolean[n];
        long duration = 0;
        String misdecode = null;
        SeqParameterSet firstSps = spsById.isEmpty() ? null : spsById.values().iterator().next();
        for (int i = 0; i < n; i++) {
            MP4Packet p = src.sample(i);
            pts[i] = p.getMediaPts();
            duration += p.getDuration();
            boolean firstSlice = true;
            for (ByteBuffer nal : splitNals(file, p.getData(), avcC.getNalLengthSize(), i)) {
                int header = nal.get(nal.position()) & 0xff;
                int type = header & 0x1f;
                String where = "sample " + i;
                if (type == 7) {
                    SeqParameterSet s = addSps(file, spsById, unescaped(nal, 1), where);
                    if (firstSps == null) {
                        firstSps = s;
                    }
                } else if (type == 8) {
                    addPps(file, ppsById, unescaped(nal, 1), where);
                } else if (type >= 2 && type <= 4) {
                    throw unsupported(file, "data partitioning (Extended profile NAL type " + type + ")");
                } else if (type == 1 || type == 5) {
                    SliceHeader sh = readSlice(file, spsById, ppsById, nal, header, where);
                    if (firstSlice) {
                        idr[i] = type == 5;
                        firstSlice = false;
                    }
                    if (misdecode == null) {
                        misdecode = misdecodeReason(sh);
                    }
                }
            }
            if (firstSlice) {
                throw new VideoDecodeException(file, "corrupt H.264: sample " + i + " has no slice");
            }
        }
        if (firstSps == null) {
            throw new VideoDecodeException(file, "corrupt H.264: no sequence parameter set");
        }
        if (!idr[0]) {
            throw new VideoDecodeException(file, "H.264 stream does not start with an IDR picture");
        }
        return new H264Scan(avcC, firstSps, pts, idr, duration, misdecode);
    }

    /** The feature JCodec would decode wrong in this slice, or null. */
    private static String misdecodeReason(SliceHeader sh) {
        if (sh.sliceType == SliceType.B && !sh.directSpatialMvPredFlag) {
            return "temporal direct prediction in B-slices (direct_spatial_mv_pred_flag=0)";
        }
        if (sh.pps.deblockingFilterControlPresentFlag && sh.disableDeblockingFilterIdc == 1) {
            return "deblocking filter disabled (disable_deblocking_filter_idc=1)";
        }
        return null;
    }

    private static SliceHeader readSlice(Path file, Map<Integer, SeqParameterSet> spsById,
            Map<Integer, PictureParameterSet> ppsById, ByteBuffer nal, int header, String where)
            throws VideoDecodeException {
        try {
            BitReader in = BitReader.createBitReader(unescaped(nal, 1));
            SliceHeader sh = SliceHeaderReader.readPart1(in);
            PictureParameterSet pps = ppsById.get(sh.picParameterSetId);
            if (pps == null) {
                throw new VideoDecodeException(file, "corrupt H.264: " + where + " refers to missing PPS "
                        + sh.picParameterSetId);
            }
            SeqParameterSet sps = spsById.get(pps.seqParameterSetId);
            if (sps == null) {
                throw new VideoDecodeException(file, "corrupt H.264: PPS " + pps.picParameterSetId
                        + " refers to missing SPS " + pps.seqParameterSetId);
            }
            if (sh.sliceType == null) {
                throw new VideoDecodeException(file, "corrupt H.264: bad slice type in " + where);
            }
            NALUnit nu = new NALUnit(NALUnitType.fromValue(header & 0x1f), (header >> 5) & 3);
            return SliceHeaderReader.readPart2(sh, nu, sps, pps, in);
        } catch (VideoDecodeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new VideoDecodeException(file, "corrupt H.264 slice header in " + where + " (" + e + ")", e);
        }
    }

    private static SeqParameterSet addSps(Path file, Map<Integer, SeqParameterSet> spsById, ByteBuffer rbsp,
            String where) throws VideoDecodeException {
        SeqParameterSet sps;
        try {
            sps = SeqParameterSet.read(rbsp);
        } catch (RuntimeException e) {
            throw new VideoDecodeException(file, "corrupt or unsupported H.264 SPS in " + where + " (" + e + ")", e);
        }
        checkSupported(file, sps);
        spsById.put(sps.seqParameterSetId, sps);
        return sps;
    }

    private static void addPps(Path file, Map<Integer, PictureParameterSet> ppsById, ByteBuffer rbsp, String where)
            throws VideoDecodeException {
        PictureParameterSet pps;
        try {
            pps = PictureParameterSet.read(rbsp);
        } catch (RuntimeException e) {
            throw new VideoDecodeException(file, "corrupt H.264 PPS in " + where + " (" + e + ")", e);
        }
        if (pps.constrainedIntraPredFlag) {
            throw unsupported(file, "constrained intra prediction (constrained_intra_pred_flag=1)");
        }
        ppsById.put(pps.picParameterSetId, pps);
    }

    /** Rejects what JCodec's decoder cannot do, with the feature named (JCodec would throw a bare RuntimeException). */
    private static void checkSupported(Path file, SeqParameterSet sps) throws VideoDecodeException {
        if (!sps.frameMbsOnlyFlag) {
            throw unsupported(file, sps.mbAdaptiveFrameFieldFlag
                    ? "MBAFF interlaced coding (mb_adaptive_frame_field_flag=1)"
                    : "interlaced field coding (frame_mbs_only_flag=0)");
        }
        if (sps.bitDepthLumaMinus8 != 0 || sps.bitDepthChromaMinus8 != 0) {
            throw unsupported(file, (8 + sps.bitDepthLumaMinus8) + "-bit samples");
        }
        if (sps.chromaFormatIdc != ColorSpace.YUV420J) {
            throw unsupported(file, "chroma format " + sps.chromaFormatIdc + " (only 4:2:0)");
        }
        if (sps.qpprimeYZeroTransformBypassFlag) {
            throw unsupported(file, "lossless coding (qpprime_y_zero_transform_bypass_flag=1)");
        }
        if (sps.profileIdc != PROFILE_BASELINE && sps.profileIdc != PROFILE_MAIN && sps.profileIdc != PROFILE_HIGH) {
            throw unsupported(file, "profile " + profileName(sps) + " (profile_idc " + sps.profileIdc
                    + "; only Baseline, Main and High)");
        }
    }

    private static VideoDecodeException unsupported(Path file, String feature) {
        return new VideoDecodeException(file, "unsupported H.264 feature: " + feature);
    }

    /** Splits a length-prefixed sample into NAL units, checking every length against the sample size. */
    static List<ByteBuffer> splitNals(Path file, ByteBuffer sample, int lengthSize, int index)
            throws VideoDecodeException {
        if (lengthSize < 1 || lengthSize > 4) {
            throw new VideoDecodeException(file, "corrupt H.264 decoder configuration: NAL length size " + lengthSize);
        }
        List<ByteBuffer> out = new ArrayList<>();
        ByteBuffer b = sample.duplicate();
        while (b.remaining() > 0) {
            if (b.remaining() < lengthSize) {
                throw new VideoDecodeException(file, "corrupt H.264: sample " + index + " ends inside a NAL length");
            }
            long len = 0;
            for (int k = 0; k < lengthSize; k++) {
                len = (len << 8) | (b.get() & 0xff);
            }
            if (len == 0 || len > b.remaining()) {
                throw new VideoDecodeException(file, "corrupt H.264: sample " + index + " has a NAL unit of " + len
                        + " bytes with " + b.remaining() + " left");
            }
            ByteBuffer nal = b.slice();
            nal.limit((int) len);
            out.add(nal);
            b.position(b.position() + (int) len);
        }
        return out;
    }

    /** A copy of the NAL payload after {@code skip} header bytes, with emulation-prevention bytes removed. */
    private static ByteBuffer unescaped(ByteBuffer nal, int skip) {
        ByteBuffer copy = ByteBuffer.allocate(nal.remaining() - skip);
        ByteBuffer src = nal.duplicate();
        src.position(src.position() + skip);
        copy.put(src).flip();
        H264Utils.unescapeNAL(copy);
        return copy;
    }

    private static YuvColor colorOf(VUIParameters vui) {
        if (vui == null || !vui.videoSignalTypePresentFlag) {
            return YuvColor.BT601_LIMITED;
        }
        YuvColor.Matrix m = vui.colourDescriptionPresentFlag ? YuvColor.Matrix.fromH264(vui.matrixCoefficients)
                : YuvColor.Matrix.BT601;
        return new YuvColor(m, vui.videoFullRangeFlag);
    }

    static String profileName(SeqParameterSet sps) {
        String name = switch (sps.profileIdc) {
            case 66 -> sps.constraintSet1Flag ? "Constrained Baseline" : "Baseline";
            case 77 -> "Main";
            case 88 -> "Extended";
            case 100 -> "High";
            case 110 -> "High 10";
            case 122 -> "High 4:2:2";
            case 244 -> "High 4:4:4 Predictive";
            default -> "profile_idc " + sps.profileIdc;
        };
        return name + "@" + (sps.levelIdc / 10) + "." + (sps.levelIdc % 10);
    }
}
