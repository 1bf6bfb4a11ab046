package dev.t2v.data.preprocess;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Small file helpers of the output directory. */
final class OutputFiles {
    private OutputFiles() {
    }

    /**
     * Writes {@code bytes} atomically unless the file already holds exactly them, so a rerun that changes nothing
     * leaves every file (and its modification time) alone.
     *
     * @return whether the file was written
     */
    static boolean writeIfChanged(Path file, byte[] bytes) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) == bytes.length
                && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return false;
        }
        write(file, bytes);
        return true;
    }

    /**
     * Writes {@code bytes} to a temp file beside {@code file}, flushes it to disk, then renames it over {@code file}:
     * readers, and a run after a crash, see the old content or the new, never part of it. The temp file is created
     * with the default permissions ({@code Files.createTempFile} would make outputs private to their writer).
     */
    static void write(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes the temp files an interrupted run left in {@code dir} (every atomic writer here names them
     * {@code *.tmp}); nothing else is touched.
     *
     * @return how many were deleted
     */
    static int deleteTempFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        List<Path> temps;
        try (Stream<Path> s = Files.list(dir)) {
            temps = s.filter(p -> p.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(p)).toList();
        }
        for (Path p : temps) {
            Files.deleteIfExists(p);
        }
        return temps.size();
    }
}
