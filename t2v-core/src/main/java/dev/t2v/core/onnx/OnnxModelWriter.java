package dev.t2v.core.onnx;

import dev.t2v.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;
import org.nd4j.shade.protobuf.UnsafeByteOperations;

/**
 * A small builder for ONNX models over the {@code onnx.Onnx} protobuf classes that ship inside nd4j-api.
 *
 * <p>Values are referred to by name. Every op helper adds one node and returns the name of its (auto-named) output,
 * so a graph reads like the maths:
 *
 * <pre>{@code
 * OnnxModelWriter w = OnnxModelWriter.create("mlp");
 * String x = w.input("x", ElementType.FLOAT, "batch", 4);
 * String h = w.relu(w.add(w.matMul(x, w.initializer("w1", w1)), w.initializer("b1", b1)));
 * w.output(w.rename(h, "y"), ElementType.FLOAT, "batch", 8);
 * w.write(Path.of("mlp.onnx"));
 * }</pre>
 *
 * <p>Ops without a helper go through {@link #op(String, String...)}: {@code w.op("ArgMax", x).attr("axis", 1).out()}.
 * A node's inputs must already exist (a graph input, an initializer or an earlier node's output; {@code ""} marks an
 * omitted optional input), so a typo fails where it is made rather than when the runtime loads the file. The default
 * opset is 17 (the first with LayerNormalization); 18 to 21 are accepted, and helpers whose signature changed (ReduceMean
 * takes its axes as an input from 18) follow the chosen opset.
 */
public final class OnnxModelWriter {
    /** The default ONNX opset: LayerNormalization arrived in 17. */
    public static final int DEFAULT_OPSET = 17;
    public static final int MIN_OPSET = 17;
    public static final int MAX_OPSET = 21;

    private final String graphName;
    private int opset = DEFAULT_OPSET;
    private String docString = "";
    private final Map<String, Integer> extraDomains = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Onnx.ValueInfoProto> inputs = new ArrayList<>();
    private final List<Onnx.ValueInfoProto> outputs = new ArrayList<>();
    private final List<Onnx.TensorProto> initializers = new ArrayList<>();
    private final List<Onnx.NodeProto> nodes = new ArrayList<>();
    private final Set<String> values = new HashSet<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();

    private OnnxModelWriter(String graphName) {
        this.graphName = Objects.requireNonNull(graphName, "graphName");
    }

    /** A new, empty model whose graph is called {@code graphName}, at opset {@value #DEFAULT_OPSET}. */
    public static OnnxModelWriter create(String graphName) {
        return new OnnxModelWriter(graphName);
    }

    /** Sets the default-domain opset ({@value #MIN_OPSET} to {@value #MAX_OPSET}); call before adding nodes. */
    public OnnxModelWriter opset(int version) {
        if (version < MIN_OPSET || version > MAX_OPSET) {
            throw new IllegalArgumentException("opset must be in [" + MIN_OPSET + ", " + MAX_OPSET + "], got " + version);
        }
        if (!nodes.isEmpty()) {
            throw new IllegalStateException("set the opset before adding nodes: helpers emit opset-specific nodes");
        }
        this.opset = version;
        return this;
    }

    public int opset() {
        return opset;
    }

    /** Imports an extra operator domain (e.g. {@code com.microsoft}) for nodes made with {@link Node#domain}. */
    public OnnxModelWriter importDomain(String domain, int version) {
        extraDomains.put(Objects.requireNonNull(domain), version);
        return this;
    }

    public OnnxModelWriter docString(String text) {
        this.docString = Objects.requireNonNull(text);
        return this;
    }

    /** Adds a model metadata entry (ORT exposes these as custom metadata). */
    public OnnxModelWriter metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return this;
    }

    // ---------------------------------------------------------------- graph inputs, outputs, initializers

    /**
     * Declares a graph input. Each dim is a fixed size ({@code Integer}/{@code Long} &gt; 0), a symbolic name
     * ({@code String}, e.g. {@code "batch"}) or {@code null} for an unnamed unknown size. No dims means a scalar.
     */
    public String input(String name, ElementType type, Object... dims) {
        define(name);
        inputs.add(valueInfo(name, type, dims));
        return name;
    }

    /** Declares a graph output; the value must be produced by a node, an input or an initializer by {@link #build()}. */
    public OnnxModelWriter output(String name, ElementType type, Object... dims) {
        for (Onnx.ValueInfoProto o : outputs) {
            if (o.getName().equals(name)) {
                throw new IllegalArgumentException("output '" + name + "' is declared twice");
            }
        }
        outputs.add(valueInfo(name, type, dims));
        return this;
    }

    /** An initializer holding a copy of {@code value} (FLOAT, DOUBLE, LONG, INT or BOOL; any rank, including 0). */
    public String initializer(String name, INDArray value) {
        Objects.requireNonNull(value, "value");
        define(name);
        initializers.add(tensorProto(name, value));
        return name;
    }

    /** A FLOAT initializer of the given shape, row-major. */
    public String initializer(String name, float[] data, long... shape) {
        checkLength(name, data.length, shape);
        define(name);
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        initializers.add(rawTensor(name, ElementType.FLOAT, shape, bytes.array()));
        return name;
    }

    /** An INT64 initializer of the given shape, row-major. */
    public String initializer(String name, long[] data, long... shape) {
        checkLength(name, data.length, shape);
        define(name);
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(data);
        initializers.add(rawTensor(name, ElementType.INT64, shape, bytes.array()));
        return name;
    }

    /** An auto-named FLOAT scalar constant. */
    public String constant(float value) {
        return initializer(fresh("const"), new float[] {value});
    }

    /** An auto-named FLOAT constant of the given shape. */
    public String constant(float[] data, long... shape) {
        return initializer(fresh("const"), data, shape);
    }

    /** An auto-named 1-D INT64 constant, the usual form of shapes, axes and slice bounds. */
    public String constantLongs(long... values) {
        return initializer(fresh("const"), values, values.length);
    }

    /** An auto-named INT64 scalar constant. */
    public String constantLong(long value) {
        return initializer(fresh("const"), new long[] {value});
    }

    // ---------------------------------------------------------------- generic nodes

    /** Starts a node of type {@code opType}; finish it with {@link Node#out()} (or a variant) to add it. */
    public Node op(String opType, String... inputs) {
        return new Node(opType, inputs);
    }

    /**
     * One node being built. Attributes are set with {@code attr}/{@code ints}/{@code floats}/{@code tensor}; the node
     * joins the graph when an {@code out} method names its outputs.
     */
    public final class Node {
        private final Onnx.NodeProto.Builder proto = Onnx.NodeProto.newBuilder();
        private final String opType;
        private boolean added;

        private Node(String opType, String... inputs) {
            this.opType = Objects.requireNonNull(opType, "opType");
            proto.setOpType(opType);
            for (String in : inputs) {
                if (in == null) {
                    throw new IllegalArgumentException(opType + ": input is null (use \"\" for an omitted optional input)");
                }
                if (!in.isEmpty() && !values.contains(in)) {
                    throw new IllegalArgumentException(opType + ": input '" + in + "' is not defined yet"
                            + " (define graph inputs, initializers and producer nodes first)");
                }
                proto.addInput(in);
            }
        }

        public Node attr(String name, long value) {
            proto.addAttribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.INT).setI(value));
            return this;
        }

        public Node attr(String name, float value) {
            proto.addAttribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value));
            return this;
        }

        public Node attr(String name, String value) {
            proto.addAttribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)));
            return this;
        }

        public Node ints(String name, long... values) {
            Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.INTS);
            for (long v : values) {
                a.addInts(v);
            }
            proto.addAttribute(a);
            return this;
        }

        public Node floats(String name, float... values) {
            Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.FLOATS);
            for (float v : values) {
                a.addFloats(v);
            }
            proto.addAttribute(a);
            return this;
        }

        /** A tensor attribute, e.g. the {@code value} of a Constant node. */
        public Node tensor(String name, INDArray value) {
            proto.addAttribute(Onnx.AttributeProto.newBuilder().setName(name)
                    .setType(Onnx.AttributeProto.AttributeType.TENSOR).setT(tensorProto("", value)));
            return this;
        }

        /** The operator domain, for contrib ops (import it with {@link OnnxModelWriter#importDomain}). */
        public Node domain(String domain) {
            proto.setDomain(domain);
            return this;
        }

        /** Adds the node with one auto-named output and returns that output's name. */
        public String out() {
            return outs(1).get(0);
        }

        /** Adds the node with one output called {@code name}. */
        public String out(String name) {
            return outs(name).get(0);
        }

        /** Adds the node with {@code count} auto-named outputs. */
        public List<String> outs(int count) {
            String[] names = new String[count];
            String base = fresh(opType.toLowerCase(java.util.Locale.ROOT));
            for (int i = 0; i < count; i++) {
                names[i] = count == 1 ? base : base + "_" + i;
            }
            return outs(names);
        }

        /** Adds the node with the given output names ({@code ""} for an unused optional output). */
        public List<String> outs(String... names) {
            if (added) {
                throw new IllegalStateException(opType + " node was already added");
            }
            for (String n : names) {
                if (!n.isEmpty()) {
                    define(n);
                }
                proto.addOutput(n);
            }
            if (proto.getName().isEmpty()) {
                proto.setName(names.length > 0 && !names[0].isEmpty() ? names[0] : fresh("node"));
            }
            added = true;
            nodes.add(proto.build());
            return List.of(names);
        }
    }

    // ---------------------------------------------------------------- one-line ops

    /** An Identity node whose output is called {@code name}: how a helper's result becomes a named graph output. */
    public String rename(String value, String name) {
        return op("Identity", value).out(name);
    }

    public String matMul(String a, String b) {
        return op("MatMul", a, b).out();
    }

    /** {@code alpha*A'*B' + beta*C} with alpha = beta = 1; {@code c} may be {@code ""}. */
    public String gemm(String a, String b, String c, boolean transA, boolean transB) {
        Node n = c.isEmpty() ? op("Gemm", a, b) : op("Gemm", a, b, c);
        return n.attr("transA", transA ? 1 : 0).attr("transB", transB ? 1 : 0).out();
    }

    public String gemm(String a, String b, String c) {
        return gemm(a, b, c, false, false);
    }

    public String add(String a, String b) {
        return op("Add", a, b).out();
    }

    public String sub(String a, String b) {
        return op("Sub", a, b).out();
    }

    public String mul(String a, String b) {
        return op("Mul", a, b).out();
    }

    public String div(String a, String b) {
        return op("Div", a, b).out();
    }

    public String pow(String base, String exponent) {
        return op("Pow", base, exponent).out();
    }

    public String equal(String a, String b) {
        return op("Equal", a, b).out();
    }

    public String sqrt(String x) {
        return op("Sqrt", x).out();
    }

    public String erf(String x) {
        return op("Erf", x).out();
    }

    public String tanh(String x) {
        return op("Tanh", x).out();
    }

    public String sigmoid(String x) {
        return op("Sigmoid", x).out();
    }

    public String relu(String x) {
        return op("Relu", x).out();
    }

    public String exp(String x) {
        return op("Exp", x).out();
    }

    public String neg(String x) {
        return op("Neg", x).out();
    }

    public String sin(String x) {
        return op("Sin", x).out();
    }

    public String cos(String x) {
        return op("Cos", x).out();
    }

    /** Exact GELU, {@code x * 0.5 * (1 + erf(x / sqrt 2))}, as PyTorch's default {@code nn.GELU()}. */
    public String gelu(String x) {
        String inner = erf(mul(x, constant((float) (1 / Math.sqrt(2)))));
        return mul(mul(x, constant(0.5f)), add(inner, constant(1f)));
    }

    public String softmax(String x, long axis) {
        return op("Softmax", x).attr("axis", axis).out();
    }

    /** Reshape to a fixed target ({@code 0} copies the input dim, {@code -1} is inferred). */
    public String reshape(String x, long... shape) {
        return reshape(x, constantLongs(shape));
    }

    /** Reshape to a shape computed in the graph (an INT64 1-D value). */
    public String reshape(String x, String shape) {
        return op("Reshape", x, shape).out();
    }

    public String transpose(String x, long... perm) {
        return op("Transpose", x).ints("perm", perm).out();
    }

    public String gather(String data, String indices, long axis) {
        return op("Gather", data, indices).attr("axis", axis).out();
    }

    public String concat(long axis, String... inputs) {
        return op("Concat", inputs).attr("axis", axis).out();
    }

    /** Slice with constant bounds on the given axes (steps of 1). */
    public String slice(String x, long[] starts, long[] ends, long[] axes) {
        return op("Slice", x, constantLongs(starts), constantLongs(ends), constantLongs(axes)).out();
    }

    /** Slice with constant bounds, axes and steps. */
    public String slice(String x, long[] starts, long[] ends, long[] axes, long[] steps) {
        return op("Slice", x, constantLongs(starts), constantLongs(ends), constantLongs(axes), constantLongs(steps)).out();
    }

    /** Slice with bounds computed in the graph (INT64 1-D values); {@code axes} may be {@code ""}. */
    public String slice(String x, String starts, String ends, String axes) {
        return axes.isEmpty() ? op("Slice", x, starts, ends).out() : op("Slice", x, starts, ends, axes).out();
    }

    public String unsqueeze(String x, long... axes) {
        return op("Unsqueeze", x, constantLongs(axes)).out();
    }

    public String squeeze(String x, long... axes) {
        return op("Squeeze", x, constantLongs(axes)).out();
    }

    /** Mean over {@code axes}; emitted with axes as an attribute (opset 17) or as an input (18 on). */
    public String reduceMean(String x, boolean keepDims, long... axes) {
        if (opset >= 18) {
            return op("ReduceMean", x, constantLongs(axes)).attr("keepdims", keepDims ? 1 : 0).out();
        }
        return op("ReduceMean", x).ints("axes", axes).attr("keepdims", keepDims ? 1 : 0).out();
    }

    /** LayerNormalization over the last axis; {@code bias} may be {@code ""}. */
    public String layerNorm(String x, String scale, String bias, float epsilon) {
        Node n = bias.isEmpty() ? op("LayerNormalization", x, scale) : op("LayerNormalization", x, scale, bias);
        return n.attr("axis", -1).attr("epsilon", epsilon).out();
    }

    /** 2-D convolution with square stride and symmetric padding; the kernel size comes from {@code w}. */
    public String conv(String x, String w, String bias, long stride, long pad) {
        return conv(x, w, bias, new long[] {stride, stride}, new long[] {pad, pad, pad, pad}, new long[] {1, 1}, 1);
    }

    /** N-D convolution with explicit strides, pads (begin..., end...), dilations and group; {@code bias} may be "". */
    public String conv(String x, String w, String bias, long[] strides, long[] pads, long[] dilations, long group) {
        Node n = bias.isEmpty() ? op("Conv", x, w) : op("Conv", x, w, bias);
        return n.ints("strides", strides).ints("pads", pads).ints("dilations", dilations).attr("group", group).out();
    }

    /** 2-D transposed convolution with square stride and symmetric padding; weights are [Cin, Cout/group, kH, kW]. */
    public String convTranspose(String x, String w, String bias, long stride, long pad) {
        Node n = bias.isEmpty() ? op("ConvTranspose", x, w) : op("ConvTranspose", x, w, bias);
        return n.ints("strides", stride, stride).ints("pads", pad, pad, pad, pad).out();
    }

    /**
     * Resize by per-axis scales (one per input axis). {@code "nearest"} follows PyTorch's {@code nn.Upsample(mode=
     * "nearest")} (asymmetric coordinates, floor), so integer scales repeat pixels; {@code "linear"} follows PyTorch's
     * {@code align_corners=False}.
     */
    public String resize(String x, String mode, float... scales) {
        String s = constant(scales, scales.length);
        Node n = op("Resize", x, "", s).attr("mode", mode);
        if (mode.equals("nearest")) {
            n.attr("coordinate_transformation_mode", "asymmetric").attr("nearest_mode", "floor");
        } else {
            n.attr("coordinate_transformation_mode", "pytorch_half_pixel");
        }
        return n.out();
    }

    public String where(String condition, String whenTrue, String whenFalse) {
        return op("Where", condition, whenTrue, whenFalse).out();
    }

    public String cast(String x, ElementType to) {
        return op("Cast", x).attr("to", to.code()).out();
    }

    /** Broadcast {@code x} to a shape computed in the graph (an INT64 1-D value). */
    public String expand(String x, String shape) {
        return op("Expand", x, shape).out();
    }

    public String expand(String x, long... shape) {
        return expand(x, constantLongs(shape));
    }

    /** The shape of {@code x} as an INT64 1-D value. */
    public String shape(String x) {
        return op("Shape", x).out();
    }

    /** Dims {@code [start, end)} of the shape of {@code x}. */
    public String shape(String x, long start, long end) {
        return op("Shape", x).attr("start", start).attr("end", end).out();
    }

    // ---------------------------------------------------------------- build and write

    /** The model as a protobuf message; checks that every declared output is produced. */
    public Onnx.ModelProto build() {
        for (Onnx.ValueInfoProto o : outputs) {
            if (!values.contains(o.getName())) {
                throw new IllegalStateException("output '" + o.getName() + "' is declared but nothing produces it");
            }
        }
        if (outputs.isEmpty()) {
            throw new IllegalStateException("graph '" + graphName + "' has no outputs");
        }
        Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName(graphName)
                .addAllInput(inputs).addAllOutput(outputs).addAllInitializer(initializers).addAllNode(nodes);
        Onnx.ModelProto.Builder model = Onnx.ModelProto.newBuilder()
                .setIrVersion(irVersion(opset))
                .setProducerName("t2v")
                .setProducerVersion("1")
                .setDocString(docString)
                .setGraph(graph);
        model.addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset));
        extraDomains.forEach((d, v) -> model.addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain(d).setVersion(v)));
        metadata.forEach((k, v) -> model.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build();
    }

    /** The serialised model, e.g. for {@code OrtEnvironment.createSession(byte[])}. */
    public byte[] toByteArray() {
        return build().toByteArray();
    }

    /**
     * Writes the model to {@code file} atomically: a temp file in the same directory, then a rename, so readers never
     * see half a model. Parent directories are created.
     */
    public Path write(Path file) throws IOException {
        Onnx.ModelProto model = build();
        return AtomicFiles.writeStream(file, model::writeTo);
    }

    // ---------------------------------------------------------------- internals

    private static long irVersion(int opset) {
        // The IR version released with each opset (onnx/docs/Versioning.md): runtimes reject a newer IR than they know.
        if (opset <= 18) {
            return 8;
        }
        return opset <= 20 ? 9 : 10;
    }

    private void define(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("value names must be non-empty");
        }
        if (!values.add(name)) {
            throw new IllegalArgumentException("value '" + name + "' is already defined");
        }
    }

    /** A fresh name {@code prefix_N} that no value has yet. */
    private String fresh(String prefix) {
        String name;
        do {
            int n = counters.merge(prefix, 1, Integer::sum);
            name = prefix + "_" + n;
        } while (values.contains(name));
        return name;
    }

    private static void checkLength(String name, int length, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(name + ": negative dim in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException(name + ": " + length + " values do not fill shape " + Arrays.toString(shape));
        }
    }

    private static Onnx.ValueInfoProto valueInfo(String name, ElementType type, Object... dims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            Onnx.TensorShapeProto.Dimension.Builder dim = Onnx.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else if (d instanceof Integer || d instanceof Long) {
                long v = ((Number) d).longValue();
                if (v <= 0) {
                    throw new IllegalArgumentException(name + ": fixed dims must be > 0, got " + v);
                }
                dim.setDimValue(v);
            } else if (d != null) {
                throw new IllegalArgumentException(name + ": a dim is an Integer/Long size, a String name or null, got "
                        + d.getClass().getSimpleName());
            }
            shape.addDim(dim);
        }
        Onnx.TypeProto.Tensor tensor = Onnx.TypeProto.Tensor.newBuilder().setElemType(type.code()).setShape(shape).build();
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    private static Onnx.TensorProto rawTensor(String name, ElementType type, long[] shape, byte[] littleEndian) {
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(type.code());
        for (long d : shape) {
            t.addDims(d);
        }
        // The byte array is ours and never changes after this point, so it can be wrapped without a copy.
        return t.setRawData(UnsafeByteOperations.unsafeWrap(littleEndian)).build();
    }

    private static Onnx.TensorProto tensorProto(String name, INDArray value) {
        DataType dt = value.dataType();
        INDArray c = value.dup('c'); // a fresh row-major buffer holding exactly value.length() elements
        int n = (int) c.length();
        long[] shape = c.shape();
        ByteBuffer bytes;
        ElementType type;
        switch (dt) {
            case FLOAT -> {
                type = ElementType.FLOAT;
                bytes = ByteBuffer.allocate(n * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(c.data().asFloat(), 0, n);
            }
            case DOUBLE -> {
                type = ElementType.DOUBLE;
                bytes = ByteBuffer.allocate(n * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asDoubleBuffer().put(c.data().asDouble(), 0, n);
            }
            case LONG -> {
                type = ElementType.INT64;
                bytes = ByteBuffer.allocate(n * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asLongBuffer().put(c.data().asLong(), 0, n);
            }
            case INT -> {
                type = ElementType.INT32;
                bytes = ByteBuffer.allocate(n * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asIntBuffer().put(c.data().asInt(), 0, n);
            }
            case BOOL -> {
                type = ElementType.BOOL;
                bytes = ByteBuffer.allocate(n);
                int[] v = c.castTo(DataType.INT).data().asInt();
                for (int i = 0; i < n; i++) {
                    bytes.put((byte) (v[i] != 0 ? 1 : 0));
                }
            }
            default -> throw new IllegalArgumentException(
                    (name.isEmpty() ? "tensor" : name) + ": unsupported initializer data type " + dt);
        }
        return rawTensor(name, type, shape, bytes.array());
    }
}
