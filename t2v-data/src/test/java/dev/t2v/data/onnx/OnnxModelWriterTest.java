package dev.t2v.data.onnx;

import dev.t2v.core.onnx.ElementType;
import dev.t2v.core.onnx.OnnxModelWriter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class OnnxModelWriterTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path tmp;

    /** Outputs of one run, by name; FLOAT outputs as float[], INT64 outputs as long[], with their shapes. */
    private record Outputs(Map<String, Object> values, Map<String, long[]> shapes) {
        float[] f(String name) {
            return (float[]) values.get(name);
        }

        long[] l(String name) {
            return (long[]) values.get(name);
        }

        long[] shape(String name) {
            return shapes.get(name);
        }
    }

    private static Outputs run(OnnxModelWriter w, Map<String, OnnxTensor> feeds) throws OrtException {
        try (OrtSession session = ENV.createSession(w.toByteArray(), new OrtSession.SessionOptions());
                OrtSession.Result result = session.run(feeds)) {
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                shapes.put(e.getKey(), t.getInfo().getShape());
                switch (t.getInfo().type) {
                    case FLOAT -> {
                        float[] a = new float[(int) t.getInfo().getNumElements()];
                        t.getFloatBuffer().get(a);
                        values.put(e.getKey(), a);
                    }
                    case INT64 -> {
                        long[] a = new long[(int) t.getInfo().getNumElements()];
                        t.getLongBuffer().get(a);
                        values.put(e.getKey(), a);
                    }
                    default -> throw new AssertionError("unexpected output type " + t.getInfo().type);
                }
            }
            return new Outputs(values, shapes);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor floats(float[] data, long... shape) {
        return OnnxTensors.floats(ENV, data, shape);
    }

    @Test
    void matMulAddAndGemmMatchHandComputedProducts() throws OrtException {
        float[] x = {1, 2, 3, -1, 0.5f, 2};
        float[] wm = {1, 0, -1, 2, 0.5f, 1}; // [3,2]
        float[] b = {0.25f, -0.5f};
        float[] wt = {1, -1, 0.5f, 2, 0, 1}; // [2,3], used transposed by Gemm
        OnnxModelWriter w = OnnxModelWriter.create("linear");
        String in = w.input("x", ElementType.FLOAT, "batch", 3);
        String bias = w.initializer("b", b, 2);
        w.output(w.rename(w.add(w.matMul(in, w.initializer("w", wm, 3, 2)), bias), "mm"), ElementType.FLOAT, "batch", 2);
        w.output(w.rename(w.gemm(in, w.initializer("wt", wt, 2, 3), bias, false, true), "gemm"), ElementType.FLOAT,
                "batch", 2);

        Outputs out = run(w, Map.of("x", floats(x, 2, 3)));

        float[] mm = new float[4];
        float[] gemm = new float[4];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                float s = b[j];
                float g = b[j];
                for (int k = 0; k < 3; k++) {
                    s += x[i * 3 + k] * wm[k * 2 + j];
                    g += x[i * 3 + k] * wt[j * 3 + k];
                }
                mm[i * 2 + j] = s;
                gemm[i * 2 + j] = g;
            }
        }
        assertThat(out.f("mm")).containsExactly(mm, within(1e-6f));
        assertThat(out.f("gemm")).containsExactly(gemm, within(1e-6f));
        assertThat(out.shape("mm")).containsExactly(2, 2);
    }

    @Test
    void elementwiseOpsMatchJavaMath() throws OrtException {
        float[] x = {0.1f, 0.5f, 1f, 2f, 3f};
        OnnxModelWriter w = OnnxModelWriter.create("elementwise");
        String in = w.input("x", ElementType.FLOAT, 5);
        Map<String, String> ops = new LinkedHashMap<>();
        ops.put("sqrt", w.sqrt(in));
        ops.put("exp", w.exp(in));
        ops.put("neg", w.neg(in));
        ops.put("sin", w.sin(in));
        ops.put("cos", w.cos(in));
        ops.put("tanh", w.tanh(in));
        ops.put("sigmoid", w.sigmoid(in));
        ops.put("relu", w.relu(w.sub(in, w.constant(1f))));
        ops.put("erf", w.erf(in));
        ops.put("gelu", w.gelu(in));
        ops.put("pow", w.pow(in, w.constant(3f)));
        ops.put("mul", w.mul(in, w.constant(-2f)));
        ops.put("div", w.div(w.constant(1f), in));
        ops.forEach((name, value) -> w.output(w.rename(value, name), ElementType.FLOAT, 5));

        Outputs out = run(w, Map.of("x", floats(x, 5)));

        // erf has no java.lang.Math counterpart: reference values from Abramowitz & Stegun, table 7.1.
        double[] erf = {0.1124629160, 0.5204998778, 0.8427007929, 0.9953222650, 0.9999779095};
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            assertThat(out.f("sqrt")[i]).isCloseTo((float) Math.sqrt(v), within(1e-6f));
            assertThat(out.f("exp")[i]).isCloseTo((float) Math.exp(v), within(1e-5f));
            assertThat(out.f("neg")[i]).isEqualTo((float) -v);
            assertThat(out.f("sin")[i]).isCloseTo((float) Math.sin(v), within(1e-6f));
            assertThat(out.f("cos")[i]).isCloseTo((float) Math.cos(v), within(1e-6f));
            assertThat(out.f("tanh")[i]).isCloseTo((float) Math.tanh(v), within(1e-6f));
            assertThat(out.f("sigmoid")[i]).isCloseTo((float) (1 / (1 + Math.exp(-v))), within(1e-6f));
            assertThat(out.f("relu")[i]).isCloseTo((float) Math.max(0, v - 1), within(1e-6f));
            assertThat(out.f("erf")[i]).isCloseTo((float) erf[i], within(1e-6f));
            assertThat(out.f("pow")[i]).isCloseTo((float) (v * v * v), within(1e-4f));
            assertThat(out.f("mul")[i]).isEqualTo((float) (-2 * v));
            assertThat(out.f("div")[i]).isCloseTo((float) (1 / v), within(1e-6f));
        }
        // Exact GELU at the points where erf(x/sqrt 2) is tabulated: erf(1/sqrt2)=0.6826894921, erf(sqrt2)=0.9544997361.
        assertThat(out.f("gelu")[2]).isCloseTo((float) (0.5 * 1 * (1 + 0.6826894921)), within(1e-6f));
        assertThat(out.f("gelu")[3]).isCloseTo((float) (0.5 * 2 * (1 + 0.9544997361)), within(1e-6f));
    }

    @Test
    void softmaxReduceMeanAndLayerNormMatchLoops() throws OrtException {
        float[] x = {1, 2, 3, 4, -1, 0, 0.5f, 3};
        float[] gamma = {1, 2, 0.5f, -1};
        float[] beta = {0, 0.1f, -0.2f, 0.3f};
        float eps = 1e-5f;
        OnnxModelWriter w = OnnxModelWriter.create("norms");
        String in = w.input("x", ElementType.FLOAT, 2, 4);
        w.output(w.rename(w.softmax(in, -1), "softmax"), ElementType.FLOAT, 2, 4);
        w.output(w.rename(w.reduceMean(in, true, 1), "mean"), ElementType.FLOAT, 2, 1);
        w.output(w.rename(w.reduceMean(in, false, 0, 1), "mean_all"), ElementType.FLOAT);
        w.output(w.rename(w.layerNorm(in, w.initializer("g", gamma, 4), w.initializer("b", beta, 4), eps), "ln"),
                ElementType.FLOAT, 2, 4);

        Outputs out = run(w, Map.of("x", floats(x, 2, 4)));

        double all = 0;
        for (int r = 0; r < 2; r++) {
            double max = Double.NEGATIVE_INFINITY;
            double mean = 0;
            for (int c = 0; c < 4; c++) {
                max = Math.max(max, x[r * 4 + c]);
                mean += x[r * 4 + c] / 4.0;
            }
            all += mean / 2;
            double z = 0;
            double var = 0;
            for (int c = 0; c < 4; c++) {
                z += Math.exp(x[r * 4 + c] - max);
                var += Math.pow(x[r * 4 + c] - mean, 2) / 4.0;
            }
            assertThat(out.f("mean")[r]).isCloseTo((float) mean, within(1e-6f));
            for (int c = 0; c < 4; c++) {
                int i = r * 4 + c;
                assertThat(out.f("softmax")[i]).isCloseTo((float) (Math.exp(x[i] - max) / z), within(1e-6f));
                double ln = (x[i] - mean) / Math.sqrt(var + eps) * gamma[c] + beta[c];
                assertThat(out.f("ln")[i]).isCloseTo((float) ln, within(1e-5f));
            }
        }
        assertThat(out.f("mean_all")[0]).isCloseTo((float) all, within(1e-6f));
        assertThat(out.shape("mean_all")).isEmpty();
    }

    @Test
    void shapeOpsMoveElementsAsSpecified() throws OrtException {
        float[] x = {0, 1, 2, 3, 4, 5}; // [2,3]
        OnnxModelWriter w = OnnxModelWriter.create("shapes");
        String in = w.input("x", ElementType.FLOAT, "rows", 3);
        String idx = w.input("idx", ElementType.INT64, 2);
        w.output(w.rename(w.reshape(in, 3, -1), "reshape"), ElementType.FLOAT, 3, 2);
        w.output(w.rename(w.transpose(in, 1, 0), "transpose"), ElementType.FLOAT, 3, "rows");
        w.output(w.rename(w.gather(in, idx, 1), "gather"), ElementType.FLOAT, "rows", 2);
        w.output(w.rename(w.concat(0, in, in), "concat"), ElementType.FLOAT, null, 3);
        w.output(w.rename(w.slice(in, new long[] {1}, new long[] {3}, new long[] {1}), "slice"), ElementType.FLOAT,
                "rows", 2);
        w.output(w.rename(w.slice(in, new long[] {2}, new long[] {-4}, new long[] {1}, new long[] {-2}), "slice_step"),
                ElementType.FLOAT, "rows", 2);
        String un = w.unsqueeze(in, 0);
        w.output(w.rename(un, "unsqueeze"), ElementType.FLOAT, 1, "rows", 3);
        w.output(w.rename(w.squeeze(un, 0), "squeeze"), ElementType.FLOAT, "rows", 3);
        w.output(w.rename(w.shape(in), "shape"), ElementType.INT64, 2);
        w.output(w.rename(w.shape(in, 1, 2), "shape_tail"), ElementType.INT64, 1);
        String row = w.slice(in, new long[] {0}, new long[] {1}, new long[] {0}); // [1,3]
        w.output(w.rename(w.expand(row, w.shape(in)), "expand"), ElementType.FLOAT, "rows", 3);
        w.output(w.rename(w.where(w.equal(in, w.constant(2f)), in, w.neg(in)), "where"), ElementType.FLOAT, "rows", 3);
        w.output(w.rename(w.cast(w.mul(in, w.constant(1.5f)), ElementType.INT64), "cast"), ElementType.INT64, "rows", 3);

        Outputs out = run(w, Map.of("x", floats(x, 2, 3), "idx", OnnxTensors.longs(ENV, new long[] {2, 0}, 2)));

        assertThat(out.f("reshape")).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(out.shape("reshape")).containsExactly(3, 2);
        assertThat(out.f("transpose")).containsExactly(0, 3, 1, 4, 2, 5);
        assertThat(out.f("gather")).containsExactly(2, 0, 5, 3);
        assertThat(out.f("concat")).containsExactly(0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5);
        assertThat(out.f("slice")).containsExactly(1, 2, 4, 5);
        assertThat(out.f("slice_step")).containsExactly(2, 0, 5, 3);
        assertThat(out.shape("unsqueeze")).containsExactly(1, 2, 3);
        assertThat(out.shape("squeeze")).containsExactly(2, 3);
        assertThat(out.l("shape")).containsExactly(2, 3);
        assertThat(out.l("shape_tail")).containsExactly(3);
        assertThat(out.f("expand")).containsExactly(0, 1, 2, 0, 1, 2);
        assertThat(out.f("where")).containsExactly(new float[] {0, -1, 2, -3, -4, -5}, within(0f)); // Neg(0) is -0
        assertThat(out.l("cast")).containsExactly(0, 1, 3, 4, 6, 7); // float -> int truncates toward zero
    }

    @Test
    void convConvTransposeAndResizeMatchNaiveLoops() throws OrtException {
        int cin = 2;
        int cout = 3;
        int size = 5;
        float[] x = new float[cin * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.7);
        }
        float[] wc = new float[cout * cin * 3 * 3];
        for (int i = 0; i < wc.length; i++) {
            wc[i] = (float) Math.cos(i * 0.3) * 0.5f;
        }
        float[] bc = {0.1f, -0.2f, 0.3f};
        float[] wt = new float[cin * cout * 2 * 2]; // ConvTranspose weights are [Cin, Cout, kH, kW]
        for (int i = 0; i < wt.length; i++) {
            wt[i] = (float) Math.sin(i * 1.3);
        }
        OnnxModelWriter w = OnnxModelWriter.create("convs");
        String in = w.input("x", ElementType.FLOAT, 1, cin, size, size);
        w.output(w.rename(w.conv(in, w.initializer("wc", wc, cout, cin, 3, 3), w.initializer("bc", bc, cout), 2, 1),
                "conv"), ElementType.FLOAT, 1, cout, 3, 3);
        w.output(w.rename(w.convTranspose(in, w.initializer("wt", wt, cin, cout, 2, 2), "", 2, 0), "convt"),
                ElementType.FLOAT, 1, cout, 10, 10);
        w.output(w.rename(w.resize(in, "nearest", 1, 1, 2, 2), "resize"), ElementType.FLOAT, 1, cin, 10, 10);

        Outputs out = run(w, Map.of("x", floats(x, 1, cin, size, size)));

        // Conv 3x3, stride 2, pad 1: out[o,i,j] = b[o] + sum w[o,c,ki,kj] * x[c, 2i+ki-1, 2j+kj-1].
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = bc[o];
                    for (int c = 0; c < cin; c++) {
                        for (int ki = 0; ki < 3; ki++) {
                            for (int kj = 0; kj < 3; kj++) {
                                int yi = 2 * i + ki - 1;
                                int xj = 2 * j + kj - 1;
                                if (yi >= 0 && yi < size && xj >= 0 && xj < size) {
                                    s += wc[((o * cin + c) * 3 + ki) * 3 + kj] * x[(c * size + yi) * size + xj];
                                }
                            }
                        }
                    }
                    assertThat(out.f("conv")[(o * 3 + i) * 3 + j]).isCloseTo((float) s, within(1e-5f));
                }
            }
        }
        // ConvTranspose 2x2 stride 2: each input pixel paints a disjoint 2x2 block.
        for (int o = 0; o < cout; o++) {
            for (int i = 0; i < 10; i++) {
                for (int j = 0; j < 10; j++) {
                    double s = 0;
                    for (int c = 0; c < cin; c++) {
                        s += wt[((c * cout + o) * 2 + i % 2) * 2 + j % 2] * x[(c * size + i / 2) * size + j / 2];
                    }
                    assertThat(out.f("convt")[(o * 10 + i) * 10 + j]).isCloseTo((float) s, within(1e-5f));
                }
            }
        }
        for (int c = 0; c < cin; c++) {
            for (int i = 0; i < 10; i++) {
                for (int j = 0; j < 10; j++) {
                    assertThat(out.f("resize")[(c * 10 + i) * 10 + j]).isEqualTo(x[(c * size + i / 2) * size + j / 2]);
                }
            }
        }
    }

    @Test
    void laterOpsetsLoadWithTheirSignatures() throws OrtException {
        // Opset 18 takes ReduceMean's axes as an input; opset 20 has a Gelu op.
        OnnxModelWriter w18 = OnnxModelWriter.create("opset18").opset(18);
        String x = w18.input("x", ElementType.FLOAT, 2, 2);
        w18.output(w18.rename(w18.reduceMean(x, false, 1), "m"), ElementType.FLOAT, 2);
        assertThat(run(w18, Map.of("x", floats(new float[] {1, 3, 5, 9}, 2, 2))).f("m")).containsExactly(2, 7);

        OnnxModelWriter w20 = OnnxModelWriter.create("opset20").opset(20);
        String y = w20.input("x", ElementType.FLOAT, 1);
        w20.output(w20.op("Gelu", y).out("g"), ElementType.FLOAT, 1);
        assertThat(run(w20, Map.of("x", floats(new float[] {1f}, 1))).f("g")[0])
                .isCloseTo((float) (0.5 * (1 + 0.6826894921)), within(1e-6f));

        // Contrib ops live in their own domain, imported by the model.
        OnnxModelWriter ms = OnnxModelWriter.create("contrib").importDomain("com.microsoft", 1);
        String z = ms.input("x", ElementType.FLOAT, 1);
        ms.output(ms.op("Gelu", z).domain("com.microsoft").out("g"), ElementType.FLOAT, 1);
        assertThat(run(ms, Map.of("x", floats(new float[] {1f}, 1))).f("g")[0])
                .isCloseTo((float) (0.5 * (1 + 0.6826894921)), within(1e-6f));

        assertThatThrownBy(() -> OnnxModelWriter.create("old").opset(13)).hasMessageContaining("opset");
    }

    @Test
    void initializersFromIndArraysKeepValuesAndTypes() throws OrtException {
        OnnxModelWriter w = OnnxModelWriter.create("inits");
        w.output(w.rename(w.initializer("f", Nd4j.create(new float[] {1.5f, -2f, 3f, 4f}, new long[] {2, 2},
                DataType.FLOAT).transpose()), "f_out"), ElementType.FLOAT, 2, 2);
        w.output(w.rename(w.initializer("l", Nd4j.createFromArray(7L, -8L, 9L)), "l_out"), ElementType.INT64, 3);
        w.output(w.rename(w.cast(w.initializer("d", Nd4j.createFromArray(0.25, 0.5)), ElementType.FLOAT), "d_out"),
                ElementType.FLOAT, 2);
        w.output(w.rename(w.cast(w.initializer("i", Nd4j.createFromArray(3, 4)), ElementType.INT64), "i_out"),
                ElementType.INT64, 2);
        w.output(w.rename(w.cast(w.initializer("s", Nd4j.scalar(2.5f)), ElementType.FLOAT), "s_out"), ElementType.FLOAT);
        // Constant nodes carry their value as a tensor or a float-list attribute.
        w.output(w.op("Constant").tensor("value", Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}})).out("t_attr"),
                ElementType.FLOAT, 2, 2);
        w.output(w.op("Constant").floats("value_floats", 0.5f, -1f).out("f_attr"), ElementType.FLOAT, 2);

        Outputs out = run(w, new HashMap<>());

        assertThat(out.f("f_out")).containsExactly(1.5f, 3f, -2f, 4f); // the transposed view, laid out row-major
        assertThat(out.l("l_out")).containsExactly(7, -8, 9);
        assertThat(out.f("d_out")).containsExactly(0.25f, 0.5f);
        assertThat(out.l("i_out")).containsExactly(3, 4);
        assertThat(out.f("s_out")).containsExactly(2.5f);
        assertThat(out.shape("s_out")).isEmpty();
        assertThat(out.f("t_attr")).containsExactly(1, 2, 3, 4);
        assertThat(out.shape("t_attr")).containsExactly(2, 2);
        assertThat(out.f("f_attr")).containsExactly(0.5f, -1f);
    }

    @Test
    void signatureKeepsSymbolicAndFixedDims() throws Exception {
        OnnxModelWriter w = OnnxModelWriter.create("sig");
        String x = w.input("x", ElementType.FLOAT, "batch", 3);
        w.output(w.rename(w.relu(x), "y"), ElementType.FLOAT, "batch", 3);
        Path file = w.write(tmp.resolve("sig.onnx"));
        try (OnnxSession s = OnnxSession.open(file)) {
            TensorInfo in = s.requireInput("x", 2, ai.onnxruntime.OnnxJavaType.FLOAT);
            assertThat(in.getShape()).containsExactly(-1, 3);
            assertThat(in.getDimensionNames()[0]).isEqualTo("batch");
            assertThat(OnnxSession.shapeString(in)).isEqualTo("[batch,3]");
            assertThatThrownBy(() -> s.requireInput("x", 3)).isInstanceOf(OnnxModelException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("rank 2");
            assertThatThrownBy(() -> s.requireOutput("z", 2)).hasMessageContaining("missing output 'z'");
        }
    }

    @Test
    void undefinedInputsAndDuplicateNamesFailWhereTheyAreMade() {
        OnnxModelWriter w = OnnxModelWriter.create("bad");
        String x = w.input("x", ElementType.FLOAT, 2);
        assertThatThrownBy(() -> w.add(x, "typo")).hasMessageContaining("'typo' is not defined");
        assertThatThrownBy(() -> w.input("x", ElementType.FLOAT, 2)).hasMessageContaining("already defined");
        assertThatThrownBy(() -> w.initializer("w", new float[3], 2, 2)).hasMessageContaining("do not fill");
        assertThatThrownBy(() -> w.input("y", ElementType.FLOAT, 0)).hasMessageContaining("> 0");
        w.output("never", ElementType.FLOAT, 2);
        assertThatThrownBy(w::build).hasMessageContaining("'never'");
    }

    @Test
    void writeIsAtomicAndReplacesAnExistingModel() throws Exception {
        Path file = tmp.resolve("nested").resolve("m.onnx");
        for (float k : new float[] {2f, 3f}) {
            OnnxModelWriter w = OnnxModelWriter.create("scale");
            String x = w.input("x", ElementType.FLOAT, 1);
            w.output(w.rename(w.mul(x, w.constant(k)), "y"), ElementType.FLOAT, 1);
            w.write(file);
            try (OnnxSession s = OnnxSession.open(file);
                    OnnxTensor in = floats(new float[] {1f}, 1);
                    OrtSession.Result r = s.run(Map.of("x", in), java.util.Set.of("y"))) {
                assertThat(OnnxTensors.toArray(r.get(0)).getFloat(0)).isEqualTo(k);
            }
        }
        OnnxModelWriter broken = OnnxModelWriter.create("broken");
        broken.output("y", ElementType.FLOAT, 1);
        assertThatThrownBy(() -> broken.write(file)).isInstanceOf(IllegalStateException.class);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).isEqualTo(List.of("m.onnx"));
        }
    }

    @Test
    void openingAMissingOrCorruptFileNamesIt() throws IOException {
        Path missing = tmp.resolve("missing.onnx");
        assertThatThrownBy(() -> OnnxSession.open(missing)).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining(missing.toString());
        Path corrupt = Files.writeString(tmp.resolve("corrupt.onnx"), "not a model");
        assertThatThrownBy(() -> OnnxSession.open(corrupt)).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining(corrupt.toString()).hasMessageContaining("cannot load");
    }
}
