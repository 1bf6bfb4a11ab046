package dev.t2v.data.spark;

import dev.t2v.data.encode.LatentCodec;
import dev.t2v.core.io.ResourceCache;
import dev.t2v.data.encode.TextEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkFiles;

/**
 * The encoders of each executor JVM, opened by its first task and shared by its later and concurrent tasks (their
 * {@code encode} calls are thread-safe). They stay open for the JVM's life: a task killed with its job may still be
 * running, so no point before the process exits is safe to close them at; the exit frees them.
 *
 * <p>Where the driver runs tasks in its own JVM ({@code local} masters), it lends them the encoders it opened
 * ({@link #lend}), so they open no second copy: one less model load on the run's serial path, and half the memory.
 */
final class ExecutorModels {
    /** One executor's open encoders. */
    record Encoders(TextEncoder text, LatentCodec codec) {
    }

    private static final Map<ShippedModels, Encoders> OPEN = new HashMap<>();
    private static final Map<ShippedModels, Encoders> LENT = new HashMap<>();

    /** A loan of the driver's encoders; closing it ends the loan, not the encoders. */
    interface Loan extends AutoCloseable {
        @Override
        void close();
    }

    /** The driver's encoders, lent to tasks in its JVM until the loan closes (the driver still owns them). */
    static synchronized Loan lend(ShippedModels models, TextEncoder text, LatentCodec codec) {
        Encoders lent = new Encoders(text, codec);
        LENT.put(models, lent);
        return () -> {
            synchronized (ExecutorModels.class) {
                LENT.remove(models, lent);
            }
        };
    }

    private ExecutorModels() {
    }

    static synchronized Encoders get(ShippedModels models) throws IOException {
        Encoders e = LENT.getOrDefault(models, OPEN.get(models));
        if (e == null) {
            TextEncoder text = models.local().openText(cacheRoot());
            try {
                e = new Encoders(text, models.local().openCodec());
            } catch (IOException | RuntimeException ex) {
                text.close();
                throw ex;
            }
            OPEN.put(models, e);
        }
        return e;
    }

    /** How many sets of encoders tasks opened in this JVM (not counting lent ones). */
    static synchronized int openedHere() {
        return OPEN.size();
    }

    /**
     * Where the bundled MiniLM is extracted: t2v's cache when it can be written (extracted once per machine), else
     * beside the shipped files (an executor's home directory may not be writable).
     */
    private static Path cacheRoot() {
        Path root = ResourceCache.root();
        try {
            Files.createDirectories(root);
            if (Files.isWritable(root)) {
                return root;
            }
        } catch (IOException | SecurityException e) {
            // fall through
        }
        return Path.of(SparkFiles.getRootDirectory(), "t2v-cache");
    }
}
