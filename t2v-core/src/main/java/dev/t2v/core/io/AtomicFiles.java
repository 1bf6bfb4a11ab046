package dev.t2v.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader, or a run after a crash, sees the old content or the whole new content, never part of
 * it: the content goes to a temp file beside the target ({@code .NAME.<random>.tmp}, same directory so the rename is
 * atomic), is flushed to disk, and is renamed over the target. A failed write leaves no temp file behind. Files get
 * the default permissions ({@code Files.createTempFile} would make them private to their writer).
 */
public final class AtomicFiles {
    /** Writes a file's content to the path it is given (for libraries that write to a path themselves). */
    @FunctionalInterface
    public interface PathBody {
        void writeTo(Path tmp) throws IOException;
    }

    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target}; parent directories are created. Returns the absolute target. */
    public static Path write(Path target, byte[] bytes) throws IOException {
        return writeStream(target, out -> out.write(bytes));
    }

    /** Writes {@code text} as UTF-8. */
    public static Path writeString(Path target, CharSequence text) throws IOException {
        return write(target, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes what {@code body} writes to a buffered stream. */
    public static Path writeStream(Path target, StreamBody body) throws IOException {
        return writeVia(target, tmp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.writeTo(out);
            }
        });
    }

    /**
     * Lets {@code body} write the temp file by its path, then publishes it. If {@code body} throws (for instance
     * because the content failed a check), the target is untouched.
     */
    public static Path writeVia(Path target, PathBody body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + abs.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
        try {
            body.writeTo(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return abs;
    }
}
