package dev.t2v.data.spark;

import dev.t2v.data.encode.LatentCodec;
import dev.t2v.data.encode.ResourceCache;
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
 */
final class ExecutorModels {
    /** One executor's open encoders. */
    record Encoders(TextEncoder text, LatentCodec codec) {
    }

    private static final Map<ShippedModels, Encoders> OPEN = new HashMap<>();

    private ExecutorModels() {
    }

    static synchronized Encoders get(ShippedModels models) throws IOException {
        Encoders e = OPEN.get(models);
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
