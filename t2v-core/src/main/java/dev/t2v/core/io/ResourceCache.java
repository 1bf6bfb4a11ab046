package dev.t2v.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Copies class-path resources (model files inside dependency jars) to a cache directory once, so native libraries
 * can open them by path. Each file is checked against an expected SHA-256 on every use (remembered while the file
 * keeps its size and timestamp) and re-extracted when it does not match; extraction goes through a temp file and an
 * atomic rename, so concurrent processes never see half a file.
 */
public final class ResourceCache {
    /** Environment variable naming the cache root; the default is {@code ~/.cache/t2v}. */
    public static final String CACHE_ENV = "T2V_CACHE";
    /** System property naming the cache root; it wins over {@link #CACHE_ENV} (the build points tests at target/). */
    public static final String CACHE_PROPERTY = "t2v.cache";

    /** Where {@link ModelFiles#sha256(Path, Path)} remembers the hashes of the extracted files between runs. */
    static final String HASH_STAMPS = "sha256";

    private ResourceCache() {
    }

    /** The cache root: {@code -Dt2v.cache}, else {@code $T2V_CACHE}, else {@code ~/.cache/t2v}. */
    public static Path root() {
        String env = System.getProperty(CACHE_PROPERTY, System.getenv(CACHE_ENV));
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "t2v");
    }

    /**
     * Returns {@code target}, extracting {@code resource} there first unless it already holds bytes with
     * {@code sha256}.
     *
     * @throws IllegalStateException if the resource is missing from the class path or has other bytes than expected
     */
    public static Path extract(ClassLoader loader, String resource, Path target, String sha256, String artifactHint)
            throws IOException {
        if (Files.isRegularFile(target) && ModelFiles.sha256(target, root().resolve(HASH_STAMPS)).equals(sha256)) {
            return target;
        }
        try (InputStream raw = loader.getResourceAsStream(resource)) {
            if (raw == null) {
                throw new IllegalStateException("resource '" + resource + "' is not on the class path; add "
                        + artifactHint);
            }
            AtomicFiles.writeVia(target, tmp -> {
                MessageDigest md = ModelFiles.newSha256();
                try (InputStream in = new DigestInputStream(raw, md); OutputStream out = Files.newOutputStream(tmp)) {
                    in.transferTo(out);
                }
                String actual = HexFormat.of().formatHex(md.digest());
                if (!actual.equals(sha256)) {
                    throw new IllegalStateException("resource '" + resource + "' has SHA-256 " + actual + ", expected "
                            + sha256 + "; is the class path holding another version than " + artifactHint + "?");
                }
            });
        }
        return target;
    }
}
