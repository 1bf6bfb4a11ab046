package dev.t2v.core.bundle;

import dev.t2v.core.io.AtomicFiles;
import dev.t2v.core.io.Safetensors;
import dev.t2v.core.model.Denoiser;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained model on disk, the directory {@code t2v generate --model} loads (docs/formats.md, "Model bundle"):
 * <pre>
 * model.json              {@link BundleInfo}: denoiser and scheduler configs, text encoder and codec references,
 *                         video spec, sampling defaults, provenance
 * denoiser.safetensors    the (EMA) weights, PyTorch-style names, metadata {"format":"t2v-denoiser"}
 * null_text.safetensors   "embedding" [T0,D] and "mask" [T0]: the empty prompt, the CFG null condition
 * text/…, codec/…         ONNX files copied in when small ({@link #COPY_LIMIT_BYTES}); larger ones stay referenced by
 *                         absolute path
 * </pre>
 * A value object: it holds no native resources; the denoiser, encoder and codec it opens are owned by the caller.
 */
public final class ModelBundle {
    public static final String MODEL_JSON = "model.json";
    public static final String DENOISER_FILE = "denoiser.safetensors";
    public static final String NULL_TEXT_FILE = "null_text.safetensors";
    /** The {@code format} metadata of {@link #DENOISER_FILE}. */
    public static final String DENOISER_FORMAT = "t2v-denoiser";
    public static final String NULL_TEXT_FORMAT = "t2v-null-text";
    /** Referenced model files up to this size are copied into the bundle; larger ones are referenced in place. */
    public static final long COPY_LIMIT_BYTES = 64L * 1024 * 1024;

    private final Path dir;
    private final BundleInfo info;

    private ModelBundle(Path dir, BundleInfo info) {
        this.dir = dir;
        this.info = info;
    }

    /**
     * Reads {@code dir/model.json} and checks that the weights, the null text and every referenced file exist.
     *
     * @throws IOException naming the file and field when something is missing or malformed
     */
    public static ModelBundle read(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new NoSuchFileException(dir.toString(), null, "not a model bundle directory");
        }
        Path json = abs.resolve(MODEL_JSON);
        if (!Files.isRegularFile(json)) {
            throw new NoSuchFileException(json.toString(), null, "no model.json: not a model bundle (t2v train writes "
                    + "one to RUN/model)");
        }
        BundleInfo info = BundleInfo.parse(Files.readAllBytes(json), json.toString());
        List<String> required = new ArrayList<>(List.of(DENOISER_FILE, NULL_TEXT_FILE));
        if (info.textEncoder().kind() == TextEncoderRef.Kind.ONNX) {
            required.add(info.textEncoder().model());
            required.add(info.textEncoder().tokenizer());
        }
        if (info.codec() != null) {
            if (info.codec().encoder() != null) {
                required.add(info.codec().encoder());
            }
            required.add(info.codec().decoder());
        }
        for (String r : required) {
            Path p = resolve(abs, r);
            if (!Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString(), null, "missing file of the model bundle " + abs);
            }
        }
        return new ModelBundle(abs, info);
    }

    public Path directory() {
        return dir;
    }

    public BundleInfo info() {
        return info;
    }

    /** {@link #info()} with every file reference made absolute, for writing it elsewhere. */
    public BundleInfo absoluteInfo() {
        BundleInfo out = info;
        TextEncoderRef t = info.textEncoder();
        if (t.kind() == TextEncoderRef.Kind.ONNX) {
            out = out.withTextEncoder(t.withFiles(resolve(dir, t.model()).toString(),
                    resolve(dir, t.tokenizer()).toString()));
        }
        CodecRef c = info.codec();
        if (c != null) {
            out = out.withCodec(c.withFiles(c.encoder() == null ? null : resolve(dir, c.encoder()).toString(),
                    resolve(dir, c.decoder()).toString()));
        }
        return out;
    }

    /** The denoiser weights, by name. */
    public Map<String, INDArray> readWeights() throws IOException {
        return Safetensors.read(dir.resolve(DENOISER_FILE));
    }

    /** Builds the denoiser from {@link #DENOISER_FILE}; the caller closes it. */
    public Denoiser loadDenoiser() throws IOException {
        return Denoiser.load(info.denoiser(), dir.resolve(DENOISER_FILE));
    }

    /** The stored null-text embedding, checked against the denoiser's text width. */
    public NullTextEmbedding nullText() throws IOException {
        Path file = dir.resolve(NULL_TEXT_FILE);
        Map<String, INDArray> t = Safetensors.read(file);
        INDArray e = t.get("embedding");
        INDArray m = t.get("mask");
        if (e == null || m == null) {
            throw new IOException(file + ": expected tensors 'embedding' and 'mask', got " + new TreeSet<>(t.keySet()));
        }
        NullTextEmbedding n;
        try {
            n = new NullTextEmbedding(e.castTo(DataType.FLOAT), m.castTo(DataType.FLOAT));
        } catch (IllegalArgumentException ex) {
            throw new IOException(file + ": " + ex.getMessage(), ex);
        }
        if (n.dim() != info.denoiser().textDim()) {
            throw new IOException(file + ": embedding width " + n.dim() + " differs from the denoiser's text_dim "
                    + info.denoiser().textDim());
        }
        return n;
    }

    /** {@code path} if absolute, else resolved against {@code bundleDir}. */
    public static Path resolve(Path bundleDir, String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : bundleDir.resolve(p).normalize();
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes a complete bundle to {@code target} atomically: into a temp directory beside it, then renamed over it (an
     * existing bundle there is replaced). Relative file references in {@code info} are resolved against the working
     * directory; use {@link #absoluteInfo()} to copy a bundle.
     *
     * @throws IllegalArgumentException when a weight is not finite or the names do not fit the config
     */
    public static ModelBundle write(Path target, BundleInfo info, Map<String, INDArray> weights,
            NullTextEmbedding nullText) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Files.createDirectories(abs.getParent());
        Path tmp = AtomicFiles.newStageDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp-");
        try {
            writeInto(tmp, info, weights, nullText);
            replaceDirectory(tmp, abs);
        } finally {
            deleteRecursively(tmp);
        }
        return read(abs);
    }

    /**
     * Writes the bundle's files into the existing directory {@code dir} (a checkpoint's temp directory), model.json
     * last, and returns the info as written: referenced files of at most {@link #COPY_LIMIT_BYTES} are hard-linked or
     * copied into {@code text/} and {@code codec/} and referenced relatively; larger ones stay absolute.
     *
     * @throws IllegalArgumentException when a weight is not finite or the names do not fit the config
     */
    public static BundleInfo writeInto(Path dir, BundleInfo info, Map<String, INDArray> weights,
            NullTextEmbedding nullText) throws IOException {
        checkWeights(info, weights);
        if (nullText.dim() != info.denoiser().textDim()) {
            throw new IllegalArgumentException("null text width " + nullText.dim() + " differs from the denoiser's "
                    + "text_dim " + info.denoiser().textDim());
        }
        BundleInfo out = info;
        TextEncoderRef t = info.textEncoder();
        if (t.kind() == TextEncoderRef.Kind.ONNX) {
            out = out.withTextEncoder(t.withFiles(bring(dir, t.model(), "text/model.onnx"),
                    bring(dir, t.tokenizer(), "text/tokenizer.json")));
        }
        CodecRef c = info.codec();
        if (c != null) {
            out = out.withCodec(c.withFiles(c.encoder() == null ? null : bring(dir, c.encoder(), "codec/encoder.onnx"),
                    bring(dir, c.decoder(), "codec/decoder.onnx")));
        }
        Safetensors.write(dir.resolve(DENOISER_FILE), weights,
                Map.of("format", DENOISER_FORMAT, Denoiser.CONFIG_METADATA_KEY, info.denoiser().toJson()));
        Map<String, INDArray> nt = new LinkedHashMap<>();
        nt.put("embedding", nullText.embedding());
        nt.put("mask", nullText.mask());
        Safetensors.write(dir.resolve(NULL_TEXT_FILE), nt, Map.of("format", NULL_TEXT_FORMAT));
        AtomicFiles.write(dir.resolve(MODEL_JSON), out.toJson());
        return out;
    }

    private static void checkWeights(BundleInfo info, Map<String, INDArray> weights) {
        Denoiser.requireWeightNames(info.denoiser(), weights.keySet());
        for (Map.Entry<String, INDArray> e : weights.entrySet()) {
            INDArray w = e.getValue();
            if (w.isNaN().any() || w.isInfinite().any()) {
                throw new IllegalArgumentException("weight '" + e.getKey() + "' has a non-finite value; "
                        + "refusing to write it");
            }
        }
    }

    /** Links or copies a small referenced file into the bundle and returns its new reference; large ones stay put. */
    private static String bring(Path dir, String ref, String relative) throws IOException {
        Path src = Path.of(ref).toAbsolutePath().normalize();
        if (!Files.isRegularFile(src)) {
            throw new NoSuchFileException(src.toString(), null, "referenced model file not found");
        }
        if (Files.size(src) > COPY_LIMIT_BYTES) {
            return src.toString();
        }
        Path dst = dir.resolve(relative);
        Files.createDirectories(dst.getParent());
        try {
            // Same file system (the usual case): no bytes copied. Model files are replaced, never edited in place.
            Files.createLink(dst, src);
        } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
        }
        return relative;
    }

    /**
     * Renames {@code src} to {@code target}; an existing {@code target} is first renamed aside and deleted after, so
     * {@code target} is always either the old or the new complete directory (or briefly absent).
     */
    public static void replaceDirectory(Path src, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(src, target, StandardCopyOption.ATOMIC_MOVE);
        if (old != null) {
            deleteRecursively(old);
        }
    }

    /** Deletes a file or directory tree; absent is fine. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
