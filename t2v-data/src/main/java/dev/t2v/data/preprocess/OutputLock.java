package dev.t2v.data.preprocess;

import dev.t2v.data.manifest.DatasetFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps two preprocessing runs out of one local output folder: an OS lock on its {@code .lock} file, released when
 * closed or when the process dies (so a killed run never leaves a stale lock).
 */
public final class OutputLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created if needed).
     *
     * @throws IOException when another run holds it
     */
    public static OutputLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(DatasetFiles.LOCK);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IOException(dir + ": another t2v preprocess is writing here (it holds " + file + ")");
            }
            return new OutputLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
