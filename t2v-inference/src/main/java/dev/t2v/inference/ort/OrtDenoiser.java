package dev.t2v.inference.ort;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.DenoiserInputs;
import dev.t2v.data.onnx.OnnxModelException;
import dev.t2v.data.onnx.OnnxTensors;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
    private final Path file;
    private final DenoiserConfig cfg;
    private final OrtOptions options;
    private final OrtEnvironment env;
    private OrtSession session;

    private OrtDenoiser(Path file, DenoiserConfig cfg, OrtOptions options, OrtEnvironment env, OrtSession session) {
        this.file = file;
        this.cfg = cfg;
        this.options = options;
        this.env = env;
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
        if (!Files.isRegularFile(file)) {
            throw new OnnxModelException(file, "no such ONNX model file");
        }
        if (options.device() == OrtDevice.CUDA && !cudaAvailable()) {
            throw new IllegalStateException("the ONNX Runtime CUDA execution provider is not available in this build "
                    + "(providers: " + OrtRuntime.providers() + "); build with 'mvn -Pcuda' "
                    + "(onnxruntime_gpu) on a host with CUDA 12 and cuDNN 9, or use --device cpu");
        }
        OrtEnvironment env = OrtRuntime.environment();
        OrtSession session;
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setIntraOpNumThreads(options.effectiveThreads());
            if (options.device() == OrtDevice.CUDA) {
                so.addCUDA(options.cudaDeviceId());
            }
            session = env.createSession(file.toString(), so);
        } catch (OrtException e) {
            throw new OnnxModelException(file, "ONNX Runtime cannot load the denoiser: " + e.getMessage(), e);
        }
        try {
            checkSignature(file, session, cfg);
        } catch (RuntimeException | OrtException e) {
            try {
                session.close();
            } catch (OrtException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof OnnxModelException ome) {
                throw ome;
            }
            throw new OnnxModelException(file, "cannot read the model signature: " + e.getMessage(), e);
        }
        return new OrtDenoiser(file, cfg, options, env, session);
    }

    /** Whether this ONNX Runtime build has the CUDA execution provider (the onnxruntime_gpu artifact). */
    public static boolean cudaAvailable() {
        return OrtRuntime.providers().contains(OrtProvider.CUDA);
    }

    private static void checkSignature(Path file, OrtSession session, DenoiserConfig cfg) throws OrtException {
        Map<String, NodeInfo> in = session.getInputInfo();
        Map<String, NodeInfo> out = session.getOutputInfo();
        int c = cfg.latentChannels(), s = cfg.latentSize();
        require(file, "input", in, DenoiserOnnxExporter.INPUT_X, new long[] {-1, -1, c, s, s});
        require(file, "input", in, DenoiserOnnxExporter.INPUT_T, new long[] {-1});
        require(file, "input", in, DenoiserOnnxExporter.INPUT_TEXT, new long[] {-1, -1, cfg.textDim()});
        require(file, "input", in, DenoiserOnnxExporter.INPUT_MASK, new long[] {-1, -1});
        require(file, "output", out, DenoiserOnnxExporter.OUTPUT, new long[] {-1, -1, c, s, s});
        if (in.size() != 4) {
            throw new OnnxModelException(file, "expected exactly the inputs x, t, text, text_mask; found " + in.keySet());
        }
        String exported = session.getMetadata().getCustomMetadata().get(DenoiserOnnxExporter.CONFIG_METADATA_KEY);
        if (exported != null && !DenoiserConfig.fromJson(exported).equals(cfg)) {
            throw new OnnxModelException(file, "was exported for another denoiser config: " + exported);
        }
    }

    /** Checks name, FLOAT type, rank, and the fixed dims of {@code dims} (-1 = any). */
    private static void require(Path file, String kind, Map<String, NodeInfo> infos, String name, long[] dims) {
        NodeInfo node = infos.get(name);
        if (node == null) {
            throw new OnnxModelException(file, "missing " + kind + " '" + name + "'; the model has " + infos.keySet());
        }
        if (!(node.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT) {
            throw new OnnxModelException(file, kind + " '" + name + "' must be a FLOAT tensor, got " + node.getInfo());
        }
        long[] shape = info.getShape();
        if (shape.length != dims.length) {
            throw new OnnxModelException(file, kind + " '" + name + "' has rank " + shape.length + ", expected "
                    + dims.length);
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > 0 && shape[i] > 0 && shape[i] != dims[i]) {
                throw new OnnxModelException(file, kind + " '" + name + "' has shape " + Arrays.toString(shape)
                        + ", expected " + Arrays.toString(dims) + " (-1 = any) for this config");
            }
        }
    }

    public DenoiserConfig config() {
        return cfg;
    }

    public OrtOptions options() {
        return options;
    }

    public Path file() {
        return file;
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
            feed.put(DenoiserOnnxExporter.INPUT_X, OnnxTensors.floats(env, x));
            feed.put(DenoiserOnnxExporter.INPUT_T, OnnxTensors.floats(env, t));
            feed.put(DenoiserOnnxExporter.INPUT_TEXT, OnnxTensors.floats(env, text));
            feed.put(DenoiserOnnxExporter.INPUT_MASK, OnnxTensors.floats(env, mask));
            try (OrtSession.Result result = session.run(feed, Set.of(DenoiserOnnxExporter.OUTPUT))) {
                return OnnxTensors.toArray(result.get(0));
            }
        } catch (OrtException e) {
            throw new OnnxModelException(file, "run failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        OrtSession s = session;
        if (s == null) {
            return;
        }
        session = null;
        try {
            s.close();
        } catch (OrtException e) {
            throw new OnnxModelException(file, "cannot close the session: " + e.getMessage(), e);
        }
    }
}
