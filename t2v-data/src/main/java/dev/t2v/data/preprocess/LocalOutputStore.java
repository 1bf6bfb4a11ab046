package dev.t2v.data.preprocess;

import dev.t2v.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** An {@link OutputStore} on a local folder: {@link AtomicFiles} writes a temp file beside the target and renames it. */
final class LocalOutputStore implements OutputStore {
    private final Path root;

    LocalOutputStore(Path root) {
        this.root = root;
    }

    private Path file(String rel) {
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public SortedMap<String, Long> list(String dir) throws IOException {
        SortedMap<String, Long> out = new TreeMap<>();
        Path d = file(dir);
        if (!Files.isDirectory(d)) {
            return out;
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String name = p.getFileName().toString();
                out.put(dir.isEmpty() ? name : dir + "/" + name, Files.size(p));
            }
        }
        return out;
    }

    @Override
    public long size(String rel) throws IOException {
        Path p = file(rel);
        return Files.isRegularFile(p) ? Files.size(p) : -1;
    }

    @Override
    public InputStream open(String rel) throws IOException {
        return Files.newInputStream(file(rel));
    }

    @Override
    public void write(String rel, byte[] bytes) throws IOException {
        AtomicFiles.write(file(rel), bytes);
    }

    @Override
    public void writeVia(String rel, AtomicFiles.PathBody body) throws IOException {
        AtomicFiles.writeVia(file(rel), body);
    }

    @Override
    public void delete(String rel) throws IOException {
        Files.deleteIfExists(file(rel));
    }
}
