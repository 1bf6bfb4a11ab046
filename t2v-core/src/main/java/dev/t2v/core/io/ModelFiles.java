package dev.t2v.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** File fingerprints for model provenance and cache checks. */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** Hashes computed in this process, by {@link #identity}: a model file is fingerprinted by several owners. */
    private static final Map<String, String> MEMO = new ConcurrentHashMap<>();

    /** The SHA-256 of a file's bytes, lower-case hex; computed once per process for a file left unchanged. */
    public static String sha256(Path file) throws IOException {
        String id = identity(file);
        String known = MEMO.get(id);
        if (known == null) {
            known = digest(file);
            MEMO.put(id, known);
        }
        return known;
    }

    /**
     * As {@link #sha256(Path)}, remembered across processes in {@code stampDir}: a fresh start does not re-read a
     * file of hundreds of MB (about 1 s in a cold JVM) that has the same path, size, modification time and inode as
     * when it was hashed. A file rewritten in place with identical size and timestamp would go unnoticed, as with
     * make or git's index.
     */
    public static String sha256(Path file, Path stampDir) throws IOException {
        String id = identity(file);
        Path stamp = stampDir.resolve(HexFormat.of().formatHex(newSha256().digest(id.getBytes(StandardCharsets.UTF_8))));
        if (Files.isRegularFile(stamp)) {
            String saved = Files.readString(stamp, StandardCharsets.US_ASCII).strip();
            if (saved.matches("[0-9a-f]{64}")) {
                MEMO.put(id, saved);
                return saved;
            }
        }
        String hash = sha256(file);
        Files.createDirectories(stampDir);
        AtomicFiles.write(stamp, hash.getBytes(StandardCharsets.US_ASCII));
        return hash;
    }

    /** What identifies a file's current bytes without reading them: real path, size, modification time, inode. */
    private static String identity(Path file) throws IOException {
        Path real = file.toRealPath();
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
        return real + "\0" + a.size() + "\0" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + "\0" + a.fileKey();
    }

    private static String digest(Path file) throws IOException {
        MessageDigest md = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream()); // the digest sees the bytes on the way
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A fresh SHA-256 digest (always present in the JDK). */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
