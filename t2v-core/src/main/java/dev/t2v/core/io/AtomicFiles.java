package dev.t2v.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader, or a run after a crash, sees the old content or the whole new content, never part of
 * it: the content goes to a temp file beside the target ({@code .NAME.<random>.tmp}, same directory so the rename is
 * atomic), is flushed to disk, and is renamed over the target. A failed write leaves no temp file behind.
 *
 * <p>Files and stage directories get the permissions the umask gives any new file (0644 and 0755 under umask 022), as
 * every other tool's output does: {@code Files.createTempFile} and {@code Files.createTempDirectory} would make them
 * 0600 and 0700, private to their writer, and another user of the same model would see misleading errors.
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

    /**
     * Creates a new, empty directory in {@code parent} named {@code prefix<random>}, with the default permissions
     * (unlike {@code Files.createTempDirectory}'s 0700): a stage that is renamed into place once complete.
     */
    public static Path newStageDirectory(Path parent, String prefix) throws IOException {
        Files.createDirectories(parent);
        for (int attempt = 0; ; attempt++) {
            Path dir = parent.resolve(prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
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
