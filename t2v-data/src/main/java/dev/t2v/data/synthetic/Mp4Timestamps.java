package dev.t2v.data.synthetic;

import java.nio.ByteBuffer;
import java.util.Set;

/**
 * Zeroes the creation and modification times in an MP4's movie, track and media headers ({@code mvhd}, {@code tkhd},
 * {@code mdhd}). JCodec's muxer stamps them with the wall clock, which would make two runs of the generator with the
 * same seed differ in a few header bytes; zero is the format's "unknown" (1904-01-01).
 */
final class Mp4Timestamps {
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia");
    private static final Set<String> HEADERS = Set.of("mvhd", "tkhd", "mdhd");

    private Mp4Timestamps() {}

    /** A copy of {@code mp4} with the header times zeroed; the number of headers changed is at least one. */
    static byte[] zeroed(byte[] mp4) {
        byte[] out = mp4.clone();
        int changed = walk(ByteBuffer.wrap(out), 0, out.length);
        if (changed == 0) {
            throw new IllegalArgumentException("no mvhd/tkhd/mdhd box found: not an MP4 file?");
        }
        return out;
    }

    private static int walk(ByteBuffer b, int from, int to) {
        int changed = 0;
        int pos = from;
        while (pos + 8 <= to) {
            long size = b.getInt(pos) & 0xffffffffL;
            String type = new String(new byte[] {b.get(pos + 4), b.get(pos + 5), b.get(pos + 6), b.get(pos + 7)},
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                size = b.getLong(pos + 8);
                header = 16;
            } else if (size == 0) {
                size = to - pos;
            }
            if (size < header || pos + size > to) {
                throw new IllegalArgumentException("broken MP4 box '" + type + "' at byte " + pos + " (size " + size + ")");
            }
            if (CONTAINERS.contains(type)) {
                changed += walk(b, pos + header, (int) (pos + size));
            } else if (HEADERS.contains(type)) {
                int version = b.get(pos + header) & 0xff;
                int times = pos + header + 4;
                if (version == 1) {
                    b.putLong(times, 0);
                    b.putLong(times + 8, 0);
                } else {
                    b.putInt(times, 0);
                    b.putInt(times + 4, 0);
                }
                changed++;
            }
            pos += (int) size;
        }
        return changed;
    }
}
