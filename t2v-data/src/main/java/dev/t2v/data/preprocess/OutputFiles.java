package dev.t2v.data.preprocess;

import dev.t2v.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        AtomicFiles.write(file, bytes);
        return true;
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
