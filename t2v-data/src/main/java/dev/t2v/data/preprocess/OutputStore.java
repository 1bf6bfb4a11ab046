package dev.t2v.data.preprocess;

import dev.t2v.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.SortedMap;

/**
 * The output directory of a preprocessing run, addressed by paths relative to it ({@code shards/shard-00007.jsonl}),
 * so that one {@link Preprocessor} writes to a local folder or, from the Spark job, to any Hadoop file system.
 *
 * <p>Every write is atomic: a reader, or a run after a crash, sees the old content or the whole new content. An
 * interrupted write leaves at most a temp file whose name ends in {@code .tmp}, which {@link #deleteTempFiles} removes.
 */
public interface OutputStore {
    /** Where it is, for messages. */
    String location();

    /**
     * The regular files directly in {@code dir} ({@code ""} for the top), as relative path to size, in name order;
     * empty when {@code dir} does not exist.
     */
    SortedMap<String, Long> list(String dir) throws IOException;

    /** The size of a regular file, or -1 when there is none. */
    long size(String rel) throws IOException;

    default boolean isFile(String rel) throws IOException {
        return size(rel) >= 0;
    }

    InputStream open(String rel) throws IOException;

    default byte[] read(String rel) throws IOException {
        try (InputStream in = open(rel)) {
            return in.readAllBytes();
        }
    }

    /** Writes {@code bytes} atomically; parent directories are created. */
    void write(String rel, byte[] bytes) throws IOException;

    /**
     * Lets {@code body} write a local file by its path (for writers that take a path, like safetensors), then
     * publishes it atomically as {@code rel}. If {@code body} throws, {@code rel} is untouched.
     */
    void writeVia(String rel, AtomicFiles.PathBody body) throws IOException;

    /** Deletes a file if it exists. */
    void delete(String rel) throws IOException;

    /**
     * Deletes the {@code *.tmp} files that interrupted writes left in {@code dir}; nothing else is touched.
     *
     * @return how many were deleted
     */
    default int deleteTempFiles(String dir) throws IOException {
        int n = 0;
        for (String rel : list(dir).keySet()) {
            if (rel.endsWith(".tmp")) {
                delete(rel);
                n++;
            }
        }
        return n;
    }

    /**
     * Writes {@code bytes} unless the file already holds exactly them, so a rerun that changes nothing leaves every
     * file (and its modification time) alone.
     *
     * @return whether the file was written
     */
    default boolean writeIfChanged(String rel, byte[] bytes) throws IOException {
        if (size(rel) == bytes.length && Arrays.equals(read(rel), bytes)) {
            return false;
        }
        write(rel, bytes);
        return true;
    }

    /**
     * Publishes a copy of the local file {@code content} unless the file already holds exactly its bytes (compared
     * as streams, for files too big to hold in memory).
     *
     * @return whether the file was written
     */
    default boolean writeIfChanged(String rel, Path content) throws IOException {
        if (size(rel) == Files.size(content) && sameBytes(open(rel), Files.newInputStream(content))) {
            return false;
        }
        // Copied as bytes: Files.copy(Path, Path) would give the copy the source's mode, and a temp file is 0600.
        writeVia(rel, tmp -> {
            try (InputStream in = Files.newInputStream(content)) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
        });
        return true;
    }

    /** Whether two streams hold the same bytes; closes both. */
    private static boolean sameBytes(InputStream first, InputStream second) throws IOException {
        try (InputStream a = first; InputStream b = second) {
            byte[] x = new byte[1 << 16];
            byte[] y = new byte[1 << 16];
            while (true) {
                int n = a.readNBytes(x, 0, x.length);
                if (n != b.readNBytes(y, 0, y.length) || !Arrays.equals(x, 0, n, y, 0, n)) {
                    return false;
                }
                if (n < x.length) {
                    return true;
                }
            }
        }
    }

    /** A folder on this machine. */
    static OutputStore local(Path dir) {
        return new LocalOutputStore(dir);
    }
}
