package dev.t2v.inference.ort;

import dev.t2v.core.model.DenoiserOnnxExporter;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.DenoiserInputs;
import dev.t2v.data.onnx.OnnxModelException;
import dev.t2v.data.onnx.OnnxSession;
import dev.t2v.data.onnx.OnnxTensors;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The denoiser on ONNX Runtime: the one owner of a session on a file written by {@link DenoiserOnnxExporter}.
 * {@link #predict} has the contract of {@code Denoiser.forward}: x [B,F,C,S,S], t [B], text [B,T,Dt], mask [B,T] ->
 * [B,F,C,S,S] FLOAT. The file's inputs, output and exported config are checked at load. Not thread-safe.
 */
public final class OrtDenoiser implements AutoCloseable {
    private final DenoiserConfig cfg;
    private final OrtOptions options;
    private OnnxSession session;

    private OrtDenoiser(DenoiserConfig cfg, OrtOptions options, OnnxSession session) {
        this.cfg = cfg;
        this.options = options;
        this.session = session;
    }

    /**
     * Opens an exported denoiser. Session options: graph optimisation ALL, {@link OrtOptions#effectiveThreads()}
     * intra-op threads, sequential execution, the CUDA provider first when asked for.
     *
     * @throws OnnxModelException    naming the file when it cannot be loaded or does not fit {@code cfg}
     * @throws IllegalStateException when CUDA is asked for but this ONNX Runtime build has no CUDA provider
     */
    public static OrtDenoiser open(Path file, DenoiserConfig cfg, OrtOptions options) {
        Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(options, "options");
        if (options.device() == OrtDevice.CUDA && !cudaAvailable()) {
            throw new IllegalStateException("the ONNX Runtime CUDA execution provider is not available in this build "
                    + "(providers: " + OrtEnvironment.getAvailableProviders() + "); build with 'mvn -Pcuda' "
                    + "(onnxruntime_gpu) on a host with CUDA 12 and cuDNN 9, or use --device cpu");
        }
        OnnxSession session = OnnxSession.open(file, so -> {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setIntraOpNumThreads(options.effectiveThreads());
            if (options.device() == OrtDevice.CUDA) {
                so.addCUDA(options.cudaDeviceId());
            }
        });
        try {
            checkSignature(session, cfg);
        } catch (RuntimeException e) {
            try {
                session.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new OrtDenoiser(cfg, options, session);
    }

    /** Whether this ONNX Runtime build has the CUDA execution provider (the onnxruntime_gpu artifact). */
    public static boolean cudaAvailable() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    private static void checkSignature(OnnxSession session, DenoiserConfig cfg) {
        int c = cfg.latentChannels(), s = cfg.latentSize();
        require(session, DenoiserOnnxExporter.INPUT_X, session.requireInput(DenoiserOnnxExporter.INPUT_X, 5, OnnxJavaType.FLOAT), c, s, s);
        session.requireInput(DenoiserOnnxExporter.INPUT_T, 1, OnnxJavaType.FLOAT);
        require(session, DenoiserOnnxExporter.INPUT_TEXT,
                session.requireInput(DenoiserOnnxExporter.INPUT_TEXT, 3, OnnxJavaType.FLOAT), cfg.textDim());
        session.requireInput(DenoiserOnnxExporter.INPUT_MASK, 2, OnnxJavaType.FLOAT);
        require(session, DenoiserOnnxExporter.OUTPUT, session.requireOutput(DenoiserOnnxExporter.OUTPUT, 5, OnnxJavaType.FLOAT), c, s, s);
        session.requireNoInputsOtherThan(Set.of(DenoiserOnnxExporter.INPUT_X, DenoiserOnnxExporter.INPUT_T,
                DenoiserOnnxExporter.INPUT_TEXT, DenoiserOnnxExporter.INPUT_MASK), "x, t, text, text_mask");
        String exported;
        try {
            exported = session.session().getMetadata().getCustomMetadata()
                    .get(DenoiserOnnxExporter.CONFIG_METADATA_KEY);
        } catch (OrtException e) {
            throw session.error("cannot read the model metadata: " + e.getMessage());
        }
        if (exported != null && !DenoiserConfig.fromJson(exported).equals(cfg)) {
            throw session.error("was exported for another denoiser config: " + exported);
        }
    }

    /** Checks the trailing dims of tensor {@code name} against {@code expected} when the model fixes them. */
    private static void require(OnnxSession session, String name, TensorInfo info, long... expected) {
        int first = info.getShape().length - expected.length;
        for (int i = 0; i < expected.length; i++) {
            session.requireDim("'" + name + "'", info, first + i, expected[i]);
        }
    }

    public DenoiserConfig config() {
        return cfg;
    }

    public OrtOptions options() {
        return options;
    }

    public Path file() {
        return session.file();
    }

    /**
     * One forward pass: x [B,F,C,S,S], t [B], text [B,T,Dt] (T &lt;= maxTextTokens), mask [B,T] (1 = real, 0 =
     * padding) -> [B,F,C,S,S] FLOAT. Inputs of another floating type are cast.
     */
    public INDArray predict(INDArray x, INDArray t, INDArray text, INDArray mask) {
        if (session == null) {
            throw new IllegalStateException("ORT denoiser is closed");
        }
        DenoiserInputs.check(cfg, x, t, text, mask);
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            feed.put(DenoiserOnnxExporter.INPUT_X, OnnxTensors.floats(session.env(), x));
            feed.put(DenoiserOnnxExporter.INPUT_T, OnnxTensors.floats(session.env(), t));
            feed.put(DenoiserOnnxExporter.INPUT_TEXT, OnnxTensors.floats(session.env(), text));
            feed.put(DenoiserOnnxExporter.INPUT_MASK, OnnxTensors.floats(session.env(), mask));
            try (OrtSession.Result result = session.run(feed, Set.of(DenoiserOnnxExporter.OUTPUT))) {
                return OnnxTensors.toArray(result.get(0));
            }
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        OnnxSession s = session;
        session = null;
        if (s != null) {
            s.close();
        }
    }
}
