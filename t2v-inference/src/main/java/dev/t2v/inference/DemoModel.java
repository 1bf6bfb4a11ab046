package dev.t2v.inference;

import dev.t2v.core.io.ResourceCache;
import dev.t2v.core.io.ModelFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The demo model that ships inside this jar: the {@code demo} preset trained on the synthetic moving-shapes set
 * (colour × shape × direction), with its codec; its text encoder is MiniLM from the langchain4j artifact. Trained by
 * {@code scripts/train-demo.sh}; its quality is in {@code docs/quality.md}.
 *
 * <pre>
 * try (TextToVideoPipeline p = TextToVideoPipeline.load(DemoModel.directory())) { ... }
 * </pre>
 *
 * The bundle is extracted once to {@code <cache>/models/demo-<hash>/} (see {@link ResourceCache#root()}), because ONNX
 * Runtime opens models by path; every file is checked against the SHA-256 listed in {@value #MANIFEST}.
 */
public final class DemoModel {
    /** Class-path folder of the bundle. */
    public static final String RESOURCE_DIR = "dev/t2v/inference/demo/";
    /** {@code sha256sum}-style listing of the bundle's files, relative to {@link #RESOURCE_DIR}. */
    public static final String MANIFEST = RESOURCE_DIR + "files.sha256";

    private record Entry(String sha256, String path) {
    }

    private DemoModel() {
    }

    /** Whether this class path holds the demo bundle. */
    public static boolean available() {
        return loader().getResource(MANIFEST) != null;
    }

    /**
     * The demo bundle's directory, extracted (or re-extracted when a file was changed) from the class path.
     *
     * @throws IllegalStateException when the class path holds no demo bundle, or other bytes than its listing says
     */
    public static Path directory() throws IOException {
        List<Entry> entries = manifest();
        Path dir = location(entries);
        for (Entry e : entries) {
            ResourceCache.extract(loader(), RESOURCE_DIR + e.path, dir.resolve(e.path), e.sha256,
                    "the t2v-inference jar that holds the demo model");
        }
        return dir;
    }

    /**
     * The SHA-256 of the bundle's file listing ({@value #MANIFEST}, one {@code <sha256> <path>} line per file): one
     * hash that names every byte of the bundle, and the suffix of its cache folder.
     *
     * @throws IllegalStateException when the class path holds no demo bundle
     */
    public static String hash() throws IOException {
        return listingHash(manifest());
    }

    /**
     * Where {@link #directory()} extracts the bundle, without extracting it ({@code t2v info} shows it).
     *
     * @throws IllegalStateException when the class path holds no demo bundle
     */
    public static Path location() throws IOException {
        return location(manifest());
    }

    private static Path location(List<Entry> entries) {
        return ResourceCache.root().resolve("models").resolve("demo-" + listingHash(entries).substring(0, 12));
    }

    private static String listingHash(List<Entry> entries) {
        MessageDigest md = ModelFiles.newSha256();
        entries.forEach(e -> md.update((e.sha256 + " " + e.path + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(md.digest());
    }

    private static List<Entry> manifest() throws IOException {
        try (InputStream in = loader().getResourceAsStream(MANIFEST)) {
            if (in == null) {
                throw new IllegalStateException("no demo model on the class path (" + MANIFEST + " is missing); "
                        + "train one with scripts/train-demo.sh or pass a model bundle directory");
            }
            List<Entry> out = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split("\\s+\\*?", 2);
                if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}") || parts[1].contains("..")) {
                    throw new IllegalStateException(MANIFEST + ": expected '<sha256>  <relative path>', got '" + line
                            + "'");
                }
                out.add(new Entry(parts[0], parts[1]));
            }
            return out;
        }
    }

    private static ClassLoader loader() {
        return DemoModel.class.getClassLoader();
    }
}
