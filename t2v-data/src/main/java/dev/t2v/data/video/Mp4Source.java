package dev.t2v.data.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.jcodec.common.DemuxerTrack;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.containers.mp4.MP4Packet;
import org.jcodec.containers.mp4.boxes.SampleEntry;
import org.jcodec.containers.mp4.demuxer.MP4Demuxer;
import org.jcodec.containers.mp4.demuxer.MP4DemuxerTrack;

/**
 * The video track of an MP4/QuickTime file, demuxed by JCodec: samples in decode order, as stored (length-prefixed
 * NAL units for H.264). Owns the file channel.
 *
 * <p>Top-level boxes are checked before JCodec sees the file, so random bytes, truncated files and absurd box sizes
 * give a clear {@link VideoDecodeException} instead of a JCodec exception or a huge allocation.
 */
final class Mp4Source implements AutoCloseable {
    private static final Set<String> TOP_LEVEL = Set.of("ftyp", "moov", "mdat", "free", "skip", "wide", "pnot",
            "uuid", "styp", "sidx", "moof", "mfra", "meta", "pdin", "junk", "PICT");
    /** JCodec reads the whole moov box into memory; no real movie header comes close. */
    private static final long MAX_MOOV_BYTES = 256L << 20;

    final Path file;
    final String fourcc;
    final long timescale;
    final int sampleCount;
    final SampleEntry sampleEntry;
    private final FileChannelWrapper channel;
    private final MP4DemuxerTrack track;

    private Mp4Source(Path file, FileChannelWrapper channel, MP4DemuxerTrack track) {
        this.file = file;
        this.channel = channel;
        this.track = track;
        this.fourcc = track.getFourcc();
        this.timescale = track.getTimescale();
        this.sampleCount = (int) track.getFrameCount();
        this.sampleEntry = track.getSampleEntries()[0];
    }

    static Mp4Source open(Path file) throws VideoDecodeException {
        checkTopLevelBoxes(file);
        FileChannelWrapper ch = null;
        try {
            ch = NIOUtils.readableChannel(file.toFile());
            MP4Demuxer demuxer = MP4Demuxer.createRawMP4Demuxer(ch);
            MP4DemuxerTrack video = null;
            for (DemuxerTrack t : demuxer.getVideoTracks()) {
                if (t instanceof MP4DemuxerTrack m && m.getFrameCount() > 0) {
                    video = m;
                    break;
                }
            }
            if (video == null) {
                throw new VideoDecodeException(file, "no video track with samples");
            }
            if (video.getTimescale() <= 0) {
                throw new VideoDecodeException(file, "video track has timescale " + video.getTimescale());
            }
            if (video.getSampleEntries().length == 0) {
                throw new VideoDecodeException(file, "video track has no sample description");
            }
            Mp4Source src = new Mp4Source(file, ch, video);
            ch = null;
            return src;
        } catch (VideoDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new VideoDecodeException(file, "corrupt MP4 structure (" + e + ")", e);
        } finally {
            closeQuietly(ch);
        }
    }

    /** The sample at decode index {@code i}, or an exception naming the sample if its data lies past the end. */
    MP4Packet sample(int i) throws VideoDecodeException {
        try {
            if (track.getCurFrame() != i && !track.gotoFrame(i)) {
                throw new VideoDecodeException(file, "cannot seek to sample " + i + " of " + sampleCount);
            }
            MP4Packet p = track.nextFrame();
            if (p == null || p.getData() == null) {
                throw new VideoDecodeException(file, "truncated: sample " + i + " of " + sampleCount
                        + " lies past the end of the file");
            }
            return p;
        } catch (VideoDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new VideoDecodeException(file, "cannot read sample " + i + " of " + sampleCount + " (" + e + ")", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannelWrapper ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Read-only channel: nothing to lose.
            }
        }
    }

    /** Walks the top-level boxes: they must be known MP4 box types that fit in the file, and one must be moov. */
    static void checkTopLevelBoxes(Path file) throws VideoDecodeException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new VideoDecodeException(file, "no such file", e);
        } catch (IOException e) {
            throw new VideoDecodeException(file, "cannot read (" + e.getMessage() + ")", e);
        }
        if (size == 0) {
            throw new VideoDecodeException(file, "empty file");
        }
        boolean moov = false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
            long pos = 0;
            while (pos < size) {
                head.clear();
                int n = ch.read(head, pos);
                if (n < 8) {
                    throw new VideoDecodeException(file, "truncated: incomplete box header at offset " + pos);
                }
                head.flip();
                long boxSize = head.getInt() & 0xffffffffL;
                String type = new String(new byte[] {head.get(), head.get(), head.get(), head.get()},
                        StandardCharsets.ISO_8859_1);
                if (!TOP_LEVEL.contains(type)) {
                    throw new VideoDecodeException(file, pos == 0
                            ? "not an MP4/QuickTime file (no box structure at the start)"
                            : "corrupt MP4 structure: unknown top-level box '" + printable(type) + "' at offset " + pos);
                }
                if (boxSize == 1) {
                    if (n < 16) {
                        throw new VideoDecodeException(file, "truncated: incomplete box header at offset " + pos);
                    }
                    boxSize = head.getLong();
                } else if (boxSize == 0) {
                    boxSize = size - pos; // box extends to the end of the file
                }
                if (boxSize < 8) {
                    throw new VideoDecodeException(file, "corrupt MP4 structure: box '" + type + "' at offset " + pos
                            + " has size " + boxSize);
                }
                if (pos + boxSize > size) {
                    throw new VideoDecodeException(file, "truncated: box '" + type + "' at offset " + pos + " needs "
                            + boxSize + " bytes but only " + (size - pos) + " remain");
                }
                if (type.equals("moov")) {
                    if (boxSize > MAX_MOOV_BYTES) {
                        throw new VideoDecodeException(file, "corrupt MP4 structure: moov box of " + boxSize + " bytes");
                    }
                    moov = true;
                }
                pos += boxSize;
            }
        } catch (VideoDecodeException e) {
            throw e;
        } catch (IOException e) {
            throw new VideoDecodeException(file, "cannot read (" + e.getMessage() + ")", e);
        }
        if (!moov) {
            throw new VideoDecodeException(file, "no movie header (moov box): truncated, or a fragmented MP4");
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
