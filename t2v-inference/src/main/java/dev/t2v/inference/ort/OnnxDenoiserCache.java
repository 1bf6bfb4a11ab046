package dev.t2v.inference.ort;

import dev.t2v.core.model.OnnxPrecision;
import dev.t2v.core.model.DenoiserOnnxExporter;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.io.Safetensors;
import dev.t2v.core.io.ResourceCache;
import dev.t2v.core.io.ModelFiles;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exported denoisers on disk, keyed by what determines the graph: the exporter's {@link
 * DenoiserOnnxExporter#GRAPH_VERSION}, the precision, the config and the weights' bytes. A key that is already on
 * disk is reused without exporting (or, for a weights file, even reading the weights) again; files are written
 * atomically, so concurrent processes never see half a model.
 */
public final class OnnxDenoiserCache {
    /** {@code onnx/} under the cache root of {@link ResourceCache#root()}. */
    public static Path defaultDir() {
        return ResourceCache.root().resolve("onnx");
    }

    /** The export of in-memory weights in {@code dir}, written first when absent. */
    public static Path export(DenoiserConfig cfg, Map<String, INDArray> weights, OnnxPrecision precision, Path dir)
            throws IOException {
        Path file = dir.resolve(fileName(keyOf(cfg, weights, precision), precision));
        if (!Files.isRegularFile(file)) {
            DenoiserOnnxExporter.export(cfg, weights, precision, file);
        }
        return file;
    }

    /**
     * The export of a safetensors weights file in {@code dir}; the key hashes the file's bytes, so a cached export
     * opens without reading the weights.
     */
    public static Path exportWeightsFile(DenoiserConfig cfg, Path weightsFile, OnnxPrecision precision, Path dir)
            throws IOException {
        MessageDigest md = header(cfg, precision);
        md.update(ModelFiles.sha256(weightsFile).getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve(fileName(HexFormat.of().formatHex(md.digest()), precision));
        if (!Files.isRegularFile(file)) {
            Map<String, INDArray> weights = Safetensors.read(weightsFile);
            try {
                DenoiserOnnxExporter.export(cfg, weights, precision, file);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(weightsFile + ": " + e.getMessage(), e);
            } finally {
                weights.values().forEach(INDArray::close);
            }
        }
        return file;
    }

    /** The cache key of in-memory weights: SHA-256 over the header and every weight's name, shape and FLOAT bytes. */
    public static String keyOf(DenoiserConfig cfg, Map<String, INDArray> weights, OnnxPrecision precision) {
        MessageDigest md = header(cfg, precision);
        for (Map.Entry<String, INDArray> e : new TreeMap<>(weights).entrySet()) {
            md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            INDArray v = e.getValue();
            ByteBuffer shape = ByteBuffer.allocate(8 * (v.rank() + 1)).order(ByteOrder.LITTLE_ENDIAN);
            shape.putLong(v.rank());
            for (long s : v.shape()) {
                shape.putLong(s);
            }
            md.update(shape.array());
            float[] data = v.castTo(DataType.FLOAT).dup('c').data().asFloat();
            ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(data);
            md.update(bytes.array());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest header(DenoiserConfig cfg, OnnxPrecision precision) {
        MessageDigest md = ModelFiles.newSha256();
        md.update(("t2v-denoiser-onnx v" + DenoiserOnnxExporter.GRAPH_VERSION + " opset " + DenoiserOnnxExporter.OPSET
                + " " + precision.flagName() + "\n" + cfg.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
        return md;
    }

    private static String fileName(String key, OnnxPrecision precision) {
        return "denoiser-" + key.substring(0, 16) + "-" + precision.flagName() + ".onnx";
    }
}
