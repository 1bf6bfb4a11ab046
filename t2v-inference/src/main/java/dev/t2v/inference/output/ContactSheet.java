package dev.t2v.inference.output;

import dev.t2v.core.io.AtomicFiles;
import dev.t2v.data.video.Video;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG grid of a video's frames (row-major, ⌈√N⌉ columns) under a caption.
 *
 * <p>Text is drawn from a bundled bitmap of printable ASCII (DejaVu Sans Mono, 13 px, rendered once to
 * {@code glyphs-8x17.png}; DejaVu's licence allows this), not through AWT fonts: servers and containers often have no
 * fontconfig or fonts, and the same caption then gives the same pixels everywhere. Other characters print as '?'.
 */
public final class ContactSheet {
    /** Pixels between tiles and around the grid. */
    public static final int GAP = 2;
    /** Space around the caption text. */
    public static final int CAPTION_PAD = 4;
    public static final int BACKGROUND = 0x202020;
    public static final int TEXT = 0xFFFFFF;

    private static final int GLYPH_W = 8;
    private static final int GLYPH_H = 17;
    private static final char FIRST_GLYPH = ' ';
    private static final char LAST_GLYPH = '~';
    private static final byte[] GLYPHS = loadGlyphs();

    private ContactSheet() {
    }

    /** Columns for {@code frames} tiles: ⌈√frames⌉, so the grid is roughly square. */
    public static int columnsFor(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be >= 1, got " + frames);
        }
        return (int) Math.ceil(Math.sqrt(frames));
    }

    /** Height of the caption band for a sheet of the given width; 0 when the caption is null or blank. */
    public static int captionHeight(String caption, int sheetWidth) {
        List<String> lines = wrap(caption, sheetWidth);
        return lines.isEmpty() ? 0 : lines.size() * GLYPH_H + 2 * CAPTION_PAD;
    }

    /** Renders the sheet: caption band on top (wrapped to the sheet width), then the frame grid. */
    public static BufferedImage render(Video video, String caption) {
        int n = video.frameCount();
        int cols = columnsFor(n);
        int rows = (n + cols - 1) / cols;
        int w = video.width();
        int h = video.height();
        int sheetW = GAP + cols * (w + GAP);
        List<String> lines = wrap(caption, sheetW);
        int top = captionHeight(caption, sheetW);
        int sheetH = top + GAP + rows * (h + GAP);
        BufferedImage sheet = new BufferedImage(sheetW, sheetH, BufferedImage.TYPE_INT_RGB);
        int[] fill = new int[sheetW];
        java.util.Arrays.fill(fill, BACKGROUND);
        for (int y = 0; y < sheetH; y++) {
            sheet.setRGB(0, y, sheetW, 1, fill, 0, sheetW);
        }
        for (int i = 0; i < lines.size(); i++) {
            drawText(sheet, lines.get(i), CAPTION_PAD, CAPTION_PAD + i * GLYPH_H);
        }
        int[] pixels = new int[w * h];
        for (int i = 0; i < n; i++) {
            int x = GAP + (i % cols) * (w + GAP);
            int y = top + GAP + (i / cols) * (h + GAP);
            video.frames().get(i).getRGB(0, 0, w, h, pixels, 0, w);
            sheet.setRGB(x, y, w, h, pixels, 0, w);
        }
        return sheet;
    }

    /** Writes {@link #render} as a PNG, atomically. */
    public static void write(Video video, Path out, String caption) throws IOException {
        BufferedImage sheet = render(video, caption);
        AtomicFiles.writeVia(out, tmp -> {
            if (!ImageIO.write(sheet, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available for " + out);
            }
        });
    }

    /** Greedy word wrap to lines of at most (width - 2*pad) / glyph width characters; long words are cut. */
    static List<String> wrap(String caption, int sheetWidth) {
        List<String> lines = new ArrayList<>();
        if (caption == null || caption.isBlank()) {
            return lines;
        }
        int max = Math.max(1, (sheetWidth - 2 * CAPTION_PAD) / GLYPH_W);
        StringBuilder line = new StringBuilder();
        for (String word : caption.strip().split("\\s+")) {
            while (word.length() > max) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, max));
                word = word.substring(max);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > max) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static void drawText(BufferedImage img, String text, int x0, int y0) {
        int stripW = (LAST_GLYPH - FIRST_GLYPH + 1) * GLYPH_W;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int g = (c < FIRST_GLYPH || c > LAST_GLYPH ? '?' : c) - FIRST_GLYPH;
            for (int gy = 0; gy < GLYPH_H; gy++) {
                int y = y0 + gy;
                for (int gx = 0; gx < GLYPH_W; gx++) {
                    int x = x0 + i * GLYPH_W + gx;
                    int alpha = GLYPHS[gy * stripW + g * GLYPH_W + gx] & 0xff;
                    if (alpha != 0 && x < img.getWidth() && y < img.getHeight()) {
                        img.setRGB(x, y, blend(img.getRGB(x, y), TEXT, alpha));
                    }
                }
            }
        }
    }

    private static int blend(int under, int over, int alpha) {
        int out = 0;
        for (int s = 0; s <= 16; s += 8) {
            int a = (under >> s) & 0xff;
            int b = (over >> s) & 0xff;
            out |= ((a * (255 - alpha) + b * alpha + 127) / 255) << s;
        }
        return out;
    }

    private static byte[] loadGlyphs() {
        try (InputStream in = ContactSheet.class.getResourceAsStream("glyphs-8x17.png")) {
            if (in == null) {
                throw new IllegalStateException("resource dev/t2v/inference/output/glyphs-8x17.png is missing from the jar");
            }
            BufferedImage strip = ImageIO.read(in);
            int w = (LAST_GLYPH - FIRST_GLYPH + 1) * GLYPH_W;
            if (strip.getWidth() != w || strip.getHeight() != GLYPH_H) {
                throw new IllegalStateException("glyphs-8x17.png is " + strip.getWidth() + "x" + strip.getHeight()
                        + ", expected " + w + "x" + GLYPH_H);
            }
            byte[] alpha = new byte[w * GLYPH_H];
            int[] samples = strip.getRaster().getSamples(0, 0, w, GLYPH_H, 0, (int[]) null);
            for (int i = 0; i < samples.length; i++) {
                alpha[i] = (byte) samples[i];
            }
            return alpha;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contact sheet glyphs", e);
        }
    }
}
