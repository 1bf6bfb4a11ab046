package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.io.Safetensors;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The diffusion denoiser: predicts the noise (or v / x0, as trained) for latents {@code x [B,F,C,H,W]} at timesteps
 * {@code t [B]} given text tokens {@code [B,T,Dt]} and their mask {@code [B,T]} (1 = real token, 0 = padding).
 *
 * <p>The model owns a SameDiff graph with placeholders {@code x}, {@code t}, {@code text}, {@code text_mask} and
 * output variable {@code out}; one graph serves any batch size, frame count and text length up to
 * {@link DenoiserConfig#maxTextTokens()} (shapes are computed in the graph). Padding tokens have no effect on the
 * output. Parameters are named like PyTorch state-dict keys and live in the graph: {@link #weights()} returns the
 * live arrays, which training updates in place. Not thread-safe. Close it to release the native arrays.
 */
public interface Denoiser extends AutoCloseable {
    /** Metadata key under which {@link #save(Path)} stores the config as JSON. */
    String CONFIG_METADATA_KEY = "t2v.denoiser_config";

    DenoiserConfig config();

    /** The graph's floating-point type (FLOAT normally; DOUBLE for gradient checks). */
    DataType dataType();

    /** Runs the graph: x [B,F,C,H,W], t [B], text [B,T,Dt], textMask [B,T] -> [B,F,C,H,W]. Inputs are cast to
     * {@link #dataType()}. */
    INDArray forward(INDArray x, INDArray t, INDArray text, INDArray textMask);

    /** The graph, for training: the trainer adds its target placeholder and loss to it. */
    SameDiff sameDiff();

    /** Parameter names in model order (PyTorch state-dict style, e.g. {@code blocks.0.attn_spatial.qkv.weight}). */
    List<String> parameterNames();

    /** The parameters by name, in model order: live arrays owned by this model (dup to keep them past close). */
    Map<String, INDArray> weights();

    /** Total number of parameter values; equals {@link DenoiserConfig#parameterCount()}. */
    default long parameterCount() {
        return weights().values().stream().mapToLong(INDArray::length).sum();
    }

    /** Writes the weights as safetensors with the config JSON in the metadata ({@link #CONFIG_METADATA_KEY}). */
    default void save(Path safetensorsFile) throws IOException {
        Safetensors.write(safetensorsFile, weights(),
                Map.of(CONFIG_METADATA_KEY, config().toJson(), "format", "pt"));
    }

    /** Releases the graph and its arrays; the model and its {@link #weights()} are unusable afterwards. */
    @Override
    void close();

    // ---------------------------------------------------------------- factories

    /** A freshly initialised FLOAT model, every draw from {@code seed} (same seed, same bits). */
    static Denoiser create(DenoiserConfig cfg, long seed) {
        return create(cfg, seed, DataType.FLOAT);
    }

    /** As {@link #create(DenoiserConfig, long)} in the given floating type. */
    static Denoiser create(DenoiserConfig cfg, long seed, DataType dtype) {
        return SameDiffDenoiser.build(cfg, ParamSpec.initialise(parameterSpecs(cfg), seed, dtype), dtype);
    }

    /**
     * A FLOAT model from existing weights. Names and shapes must match the config exactly; the arrays are copied, so
     * the caller keeps ownership of its map.
     *
     * @throws IllegalArgumentException naming the missing, unexpected or mis-shaped tensor
     */
    static Denoiser fromWeights(DenoiserConfig cfg, Map<String, INDArray> weights) {
        return fromWeights(cfg, weights, DataType.FLOAT);
    }

    /** As {@link #fromWeights(DenoiserConfig, Map)} in the given floating type. */
    static Denoiser fromWeights(DenoiserConfig cfg, Map<String, INDArray> weights, DataType dtype) {
        return SameDiffDenoiser.build(cfg, SameDiffDenoiser.checkedCopy(cfg, parameterSpecs(cfg), weights, dtype), dtype);
    }

    /** Loads a file written by {@link #save(Path)}, taking the config from its metadata. */
    static Denoiser load(Path safetensorsFile) throws IOException {
        String json = Safetensors.readMetadata(safetensorsFile).get(CONFIG_METADATA_KEY);
        if (json == null) {
            throw new IOException(safetensorsFile + ": no '" + CONFIG_METADATA_KEY
                    + "' metadata; pass the config with load(config, file)");
        }
        return load(DenoiserConfig.fromJson(json), safetensorsFile);
    }

    /** Loads weights for {@code cfg} from a safetensors file (ours or PyTorch's with the same names). */
    static Denoiser load(DenoiserConfig cfg, Path safetensorsFile) throws IOException {
        Map<String, INDArray> weights = Safetensors.read(safetensorsFile);
        try {
            return fromWeights(cfg, weights);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(safetensorsFile + ": " + e.getMessage(), e);
        }
    }

    /** The parameter names a config builds, in model order, without building anything. */
    static List<String> parameterNamesFor(DenoiserConfig cfg) {
        return parameterSpecs(cfg).stream().map(ParamSpec::name).toList();
    }

    /**
     * Checks that {@code names} are exactly the parameters {@code cfg} builds: the one weight-name check of loading,
     * exporting and writing a bundle.
     *
     * @throws IllegalArgumentException naming the missing or unexpected weights
     */
    static void requireWeightNames(DenoiserConfig cfg, Set<String> names) {
        List<String> expected = parameterNamesFor(cfg);
        List<String> missing = expected.stream().filter(n -> !names.contains(n)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("missing weight(s) " + summary(missing) + " for this "
                    + cfg.architecture() + " config");
        }
        TreeSet<String> unexpected = new TreeSet<>(names);
        expected.forEach(unexpected::remove);
        if (!unexpected.isEmpty()) {
            throw new IllegalArgumentException("unexpected weight(s) " + summary(List.copyOf(unexpected))
                    + " for this " + cfg.architecture() + " config");
        }
    }

    private static String summary(List<String> names) {
        return names.size() <= 5 ? "'" + String.join("', '", names) + "'"
                : "'" + String.join("', '", names.subList(0, 5)) + "' and " + (names.size() - 5) + " more";
    }

    private static List<ParamSpec> parameterSpecs(DenoiserConfig cfg) {
        return switch (cfg.architecture()) {
            case LATTE -> VideoTransformer.parameterSpecs(cfg);
            case SEED -> SeedTransformer.parameterSpecs(cfg);
        };
    }
}
