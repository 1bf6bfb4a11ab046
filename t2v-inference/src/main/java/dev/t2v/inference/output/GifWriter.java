package dev.t2v.inference.output;

import dev.t2v.core.io.AtomicFiles;
import dev.t2v.data.video.Video;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes a {@link Video} as an animated GIF that loops forever (NETSCAPE2.0 application extension), with the JDK's
 * ImageIO GIF writer (each frame gets its own palette, built by ImageIO from the RGB frame).
 *
 * <p>GIF delays are whole hundredths of a second, so each frame's delay is the difference of rounded cumulative times:
 * at 8 fps the delays alternate 12/13 cs and the clip keeps its true length instead of drifting. The file is written
 * atomically.
 */
public final class GifWriter {
    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private GifWriter() {
    }

    /** Writes the video to {@code out} (replaced atomically if it exists). */
    public static void write(Video video, Path out) throws IOException {
        AtomicFiles.writeVia(out, tmp -> encode(video, tmp, out));
    }

    /** Delay of frame {@code i} in hundredths of a second, from rounded cumulative presentation times. */
    static int delayCentiseconds(int i, double fps) {
        long start = Math.round(100.0 * i / fps);
        long end = Math.round(100.0 * (i + 1) / fps);
        // 0 would mean "as fast as possible" and players substitute 10 cs; 1 cs is the shortest real delay.
        return (int) Math.max(1, Math.min(65535, end - start));
    }

    private static void encode(Video video, Path tmp, Path target) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) {
            throw new IOException("no GIF ImageWriter available for " + target);
        }
        ImageWriter writer = writers.next();
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp));
                ImageOutputStream ios = new MemoryCacheImageOutputStream(os)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            ImageTypeSpecifier type = ImageTypeSpecifier.createFromRenderedImage(video.frames().get(0));
            for (int i = 0; i < video.frameCount(); i++) {
                IIOMetadata meta = writer.getDefaultImageMetadata(type, writer.getDefaultWriteParam());
                configure(meta, delayCentiseconds(i, video.fps()), i == 0);
                writer.writeToSequence(new IIOImage(video.frames().get(i), null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    private static void configure(IIOMetadata meta, int delayCs, boolean first) throws IOException {
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(FORMAT);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCs));
        gce.setAttribute("transparentColorIndex", "0");
        if (first) {
            // Loop forever: NETSCAPE2.0 sub-block 1, loop count 0 (little-endian), only needed once per file.
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0});
            child(root, "ApplicationExtensions").appendChild(app);
        }
        meta.setFromTree(FORMAT, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
