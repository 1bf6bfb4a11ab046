package dev.t2v.data.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one owner of an ONNX Runtime session on a model file, with the load-time contract checks every encoder needs
 * ({@link #requireInput}, {@link #requireOutput}): failures are {@link OnnxModelException}s naming the file.
 */
public final class OnnxSession implements AutoCloseable {
    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Map<String, TensorInfo> inputs;
    private final Map<String, TensorInfo> outputs;

    private OnnxSession(Path file, OrtEnvironment env, OrtSession session, Map<String, TensorInfo> inputs,
            Map<String, TensorInfo> outputs) {
        this.file = file;
        this.env = env;
        this.session = session;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** Opens {@code file} on the CPU with ONNX Runtime's default thread count. */
    public static OnnxSession open(Path file) {
        return open(file, 0);
    }

    /** Opens {@code file} with {@code intraOpThreads} threads per op (0: ONNX Runtime's default, one per core). */
    public static OnnxSession open(Path file, int intraOpThreads) {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + intraOpThreads);
        }
        return open(file, options -> {
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
        });
    }

    /** Session settings a caller adds (threads, optimisation level, execution providers). */
    @FunctionalInterface
    public interface Settings {
        void apply(OrtSession.SessionOptions options) throws OrtException;
    }

    /** Opens {@code file} with ONNX Runtime's defaults (errors-only logging) plus {@code settings}. */
    public static OnnxSession open(Path file, Settings settings) {
        if (!Files.isRegularFile(file)) {
            throw new OnnxModelException(file, "no such ONNX model file");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            settings.apply(options);
            session = env.createSession(file.toString(), options);
        } catch (OrtException e) {
            throw new OnnxModelException(file, "ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
        try {
            return new OnnxSession(file, env, session, tensorInfos(file, session.getInputInfo()),
                    tensorInfos(file, session.getOutputInfo()));
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
    }

    private static Map<String, TensorInfo> tensorInfos(Path file, Map<String, NodeInfo> infos) {
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> e : infos.entrySet()) {
            if (!(e.getValue().getInfo() instanceof TensorInfo t)) {
                throw new OnnxModelException(file, "'" + e.getKey() + "' is not a tensor (" + e.getValue().getInfo() + ")");
            }
            out.put(e.getKey(), t);
        }
        return Collections.unmodifiableMap(out);
    }

    public Path file() {
        return file;
    }

    public OrtEnvironment env() {
        return env;
    }

    /** The underlying session, for runs with options this class does not wrap. Owned here: do not close it. */
    public OrtSession session() {
        return session;
    }

    /** Input names to tensor infos, in the model's order. */
    public Map<String, TensorInfo> inputs() {
        return inputs;
    }

    /** Output names to tensor infos, in the model's order. */
    public Map<String, TensorInfo> outputs() {
        return outputs;
    }

    public boolean hasInput(String name) {
        return inputs.containsKey(name);
    }

    /** An exception naming this model's file. */
    public OnnxModelException error(String message) {
        return new OnnxModelException(file, message);
    }

    /** Checks that input {@code name} exists with the given rank and one of {@code types}; returns its info. */
    public TensorInfo requireInput(String name, int rank, OnnxJavaType... types) {
        return require("input", inputs, name, rank, types);
    }

    /** Checks that output {@code name} exists with the given rank and one of {@code types}; returns its info. */
    public TensorInfo requireOutput(String name, int rank, OnnxJavaType... types) {
        return require("output", outputs, name, rank, types);
    }

    /** Checks that the model has no inputs beyond {@code allowed} (a caller cannot feed inputs it does not know). */
    public void requireNoInputsOtherThan(Set<String> allowed, String expectation) {
        for (String name : inputs.keySet()) {
            if (!allowed.contains(name)) {
                throw error("unexpected input '" + name + "'; expected " + expectation + ", found " + describeInputs());
            }
        }
    }

    /**
     * Checks that dim {@code axis} of {@code info} is {@code expected} when the model fixes it (a symbolic dim passes).
     */
    public void requireDim(String what, TensorInfo info, int axis, long expected) {
        long d = info.getShape()[axis];
        if (d > 0 && d != expected) {
            throw error(what + " has size " + d + " on axis " + axis + ", expected " + expected
                    + " (shape " + shapeString(info) + ")");
        }
    }

    /** The fixed size of dim {@code axis} of {@code info}, or -1 when symbolic. */
    public static long fixedDim(TensorInfo info, int axis) {
        long d = info.getShape()[axis];
        return d > 0 ? d : -1;
    }

    /** Runs the model; tensors passed in stay owned by the caller, the result must be closed by the caller. */
    public OrtSession.Result run(Map<String, OnnxTensor> feeds, Set<String> wanted) {
        try {
            return session.run(feeds, wanted);
        } catch (OrtException e) {
            throw new OnnxModelException(file, "run failed: " + e.getMessage(), e);
        }
    }

    /** A one-line summary of the inputs, e.g. {@code input_ids INT64 [batch,77]}, for messages. */
    public String describeInputs() {
        return describe(inputs);
    }

    public String describeOutputs() {
        return describe(outputs);
    }

    private String describe(Map<String, TensorInfo> infos) {
        return infos.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().type + " " + shapeString(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    /** A shape with symbolic dims by name, e.g. {@code [batch,3,H,W]}. */
    public static String shapeString(TensorInfo info) {
        long[] shape = info.getShape();
        String[] names = info.getDimensionNames();
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            if (shape[i] > 0) {
                sb.append(shape[i]);
            } else {
                sb.append(names != null && i < names.length && !names[i].isEmpty() ? names[i] : "?");
            }
        }
        return sb.append(']').toString();
    }

    private TensorInfo require(String kind, Map<String, TensorInfo> infos, String name, int rank, OnnxJavaType... types) {
        TensorInfo info = infos.get(name);
        if (info == null) {
            throw error("missing " + kind + " '" + name + "'; the model has " + describe(infos));
        }
        if (info.getShape().length != rank) {
            throw error(kind + " '" + name + "' has rank " + info.getShape().length + " " + shapeString(info)
                    + ", expected rank " + rank);
        }
        if (types.length > 0 && !Arrays.asList(types).contains(info.type)) {
            throw error(kind + " '" + name + "' has element type " + info.type + ", expected "
                    + (types.length == 1 ? types[0] : "one of " + Arrays.toString(types)));
        }
        return info;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new OnnxModelException(file, "cannot close the session: " + e.getMessage(), e);
        }
    }
}
