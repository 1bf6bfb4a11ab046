package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.onnx.ElementType;
import dev.t2v.core.onnx.OnnxModelWriter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a denoiser (config + weights) as an ONNX graph that computes what the SameDiff graphs of
 * {@code dev.t2v.core.model} compute: the same patching, fixed sin-cos embeddings ({@link DenoiserMath}), LayerNorm
 * epsilon, sigmoid-form tanh-GELU, attention mask bias and pooled text.
 *
 * <p>Inputs {@code x [batch,frames,C,S,S]}, {@code t [batch]}, {@code text [batch,text_tokens,Dt]},
 * {@code text_mask [batch,text_tokens]}, output {@code out [batch,frames,C,S,S]}, all FLOAT; batch, frame count and
 * text length are symbolic, so one file serves every shape (the temporal positions are computed in the graph).
 * Initializers keep the PyTorch state-dict names and layouts; linears are {@code Gemm} with {@code transB = 1}.
 * Opset {@value #OPSET}.
 *
 * <p>Between layers the tokens travel as a matrix {@code [B*F*N, D]}, as in the SameDiff graph, so every linear is one
 * GEMM; per-sample vectors broadcast through a free reshape to {@code [B, F*N, D]}.
 */
public final class DenoiserOnnxExporter {
    /** Bumped whenever the emitted graph changes, so cached exports are rebuilt. */
    public static final int GRAPH_VERSION = 1;
    public static final int OPSET = 17;
    public static final String INPUT_X = "x";
    public static final String INPUT_T = "t";
    public static final String INPUT_TEXT = "text";
    public static final String INPUT_MASK = "text_mask";
    public static final String OUTPUT = "out";
    /** Metadata key holding the config JSON, so a file can be checked against the config it is used with. */
    public static final String CONFIG_METADATA_KEY = "t2v.denoiser_config";
    /** Metadata key holding the precision ({@code fp32} / {@code fp16}). */
    public static final String PRECISION_METADATA_KEY = "t2v.precision";
    /**
     * The padding bias of the FP16 graph: -1e9 is -inf in FLOAT16, and a score of -inf turns a softmax over only
     * padding into NaN; exp(-30000) still underflows to exactly 0.
     */
    static final double MASK_BIAS_FP16 = -30_000;

    private DenoiserOnnxExporter() {
    }

    /** Writes the graph to {@code file} atomically and returns its absolute path. */
    public static Path export(DenoiserConfig cfg, Map<String, INDArray> weights, OnnxPrecision precision, Path file)
            throws IOException {
        return build(cfg, weights, precision).write(file);
    }

    /** The serialised model, e.g. for a session made from bytes. */
    public static byte[] toBytes(DenoiserConfig cfg, Map<String, INDArray> weights, OnnxPrecision precision) {
        return build(cfg, weights, precision).toByteArray();
    }

    /**
     * The graph as a writer. Every weight of {@link Denoiser#parameterNamesFor(DenoiserConfig)} must be present with
     * its exact shape and nothing else.
     *
     * @throws IllegalArgumentException naming the missing, unexpected or mis-shaped weight
     */
    public static OnnxModelWriter build(DenoiserConfig cfg, Map<String, INDArray> weights, OnnxPrecision precision) {
        Objects.requireNonNull(cfg, "cfg");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(precision, "precision");
        Denoiser.requireWeightNames(cfg, weights.keySet());
        Graph g = new Graph(cfg, weights, precision);
        String y = switch (cfg.architecture()) {
            case LATTE -> g.latte();
            case SEED -> g.seed();
        };
        g.finish(y);
        return g.w;
    }

    /** One export in progress: the writer, the run-time dims and the parameters already emitted. */
    private static final class Graph {
        final OnnxModelWriter w;
        final DenoiserConfig cfg;
        final Map<String, INDArray> weights;
        final boolean half;
        final ElementType compute;
        final Map<String, String> params = new HashMap<>();
        final Map<Double, String> scalars = new HashMap<>();
        final int d;
        final int n;
        // Run-time dims, INT64 [1] each, and the graph inputs in the compute type.
        final String batch;
        final String frames;
        final String textLen;
        final String x;
        final String t;
        final String text;
        final String mask;

        Graph(DenoiserConfig cfg, Map<String, INDArray> weights, OnnxPrecision precision) {
            this.cfg = cfg;
            this.weights = weights;
            this.half = precision == OnnxPrecision.FP16;
            this.compute = half ? ElementType.FLOAT16 : ElementType.FLOAT;
            this.d = cfg.hiddenSize();
            this.n = cfg.tokensPerFrame();
            w = OnnxModelWriter.create("t2v_denoiser").opset(OPSET)
                    .docString("t2v " + cfg.architecture() + " denoiser, exported from its SameDiff weights")
                    .metadata(CONFIG_METADATA_KEY, cfg.toJson())
                    .metadata(PRECISION_METADATA_KEY, precision.flagName())
                    .metadata("t2v.graph_version", Integer.toString(GRAPH_VERSION));
            int c = cfg.latentChannels(), s = cfg.latentSize();
            x = w.input(INPUT_X, ElementType.FLOAT, "batch", "frames", c, s, s);
            t = w.input(INPUT_T, ElementType.FLOAT, "batch");
            text = w.input(INPUT_TEXT, ElementType.FLOAT, "batch", "text_tokens", cfg.textDim());
            mask = w.input(INPUT_MASK, ElementType.FLOAT, "batch", "text_tokens");
            batch = w.shape(x, 0, 1);
            frames = w.shape(x, 1, 2);
            textLen = w.shape(text, 1, 2);
        }

        void finish(String y) {
            w.rename(half ? w.cast(y, ElementType.FLOAT) : y, OUTPUT);
            int c = cfg.latentChannels(), s = cfg.latentSize();
            w.output(OUTPUT, ElementType.FLOAT, "batch", "frames", c, s, s);
        }

        // ------------------------------------------------------------ values

        /** A FLOAT value in the compute type (a Cast in FP16 mode; ORT folds casts of initializers at load). */
        String lower(String floatValue) {
            return half ? w.cast(floatValue, ElementType.FLOAT16) : floatValue;
        }

        /** A weight, checked against its expected shape, as an initializer in the compute type (once per name). */
        String p(String name, long... shape) {
            return param(name, shape, shape);
        }

        /** As {@link #p} but stored reshaped to {@code stored} (same element order). */
        String param(String name, long[] shape, long[] stored) {
            String have = params.get(name);
            if (have != null) {
                return have;
            }
            INDArray v = weights.get(name);
            if (!Arrays.equals(v.shape(), shape)) {
                throw new IllegalArgumentException("weight '" + name + "' has shape " + Arrays.toString(v.shape())
                        + ", expected " + Arrays.toString(shape) + " for this " + cfg.architecture() + " config");
            }
            if (!v.dataType().isFPType()) {
                throw new IllegalArgumentException("weight '" + name + "' has dtype " + v.dataType()
                        + ", expected a floating-point type");
            }
            INDArray f = v.castTo(DataType.FLOAT).reshape('c', stored);
            String out = lower(w.initializer(name, f));
            params.put(name, out);
            return out;
        }

        /** A scalar constant in the compute type (shared). */
        String scalar(double v) {
            return scalars.computeIfAbsent(v, k -> lower(w.constant((float) v)));
        }

        String dims(Object... parts) {
            String[] vals = new String[parts.length];
            for (int i = 0; i < parts.length; i++) {
                vals[i] = parts[i] instanceof String s ? s : w.constantLongs(((Number) parts[i]).longValue());
            }
            return vals.length == 1 ? vals[0] : w.concat(0, vals);
        }

        String reshape(String v, Object... parts) {
            boolean fixed = Arrays.stream(parts).allMatch(p -> p instanceof Number);
            if (fixed) {
                return w.reshape(v, Arrays.stream(parts).mapToLong(p -> ((Number) p).longValue()).toArray());
            }
            return w.reshape(v, dims(parts));
        }

        // ------------------------------------------------------------ layers

        /** {@code x @ W^T + b} for tokens [M, in] and a PyTorch-layout weight [out, in]. */
        String linear(String in, String prefix, long inDim, long outDim) {
            return w.gemm(in, p(prefix + ".weight", outDim, inDim), p(prefix + ".bias", outDim), false, true);
        }

        /** LayerNorm over the last axis without affine parameters (scale 1). */
        String layerNorm(String in) {
            String ones = params.computeIfAbsent("#ones", k -> {
                float[] one = new float[d];
                Arrays.fill(one, 1f);
                return lower(w.constant(one, d));
            });
            return w.layerNorm(in, ones, "", (float) cfg.layerNormEps());
        }

        /** LayerNorm with PyTorch's affine {@code prefix.weight} / {@code prefix.bias}. */
        String layerNorm(String in, String prefix) {
            return w.layerNorm(in, p(prefix + ".weight", d), p(prefix + ".bias", d), (float) cfg.layerNormEps());
        }

        /** tanh-GELU in the sigmoid form of the SameDiff graph: {@code x * sigmoid(x * (a + b x^2))}. */
        String gelu(String in) {
            String inner = w.mul(w.add(w.mul(w.mul(in, in), scalar(DenoiserMath.GELU_B)), scalar(DenoiserMath.GELU_A)), in);
            return w.mul(in, w.sigmoid(inner));
        }

        String silu(String in) {
            return w.mul(in, w.sigmoid(in));
        }

        String mlp(String in, String prefix) {
            int m = cfg.mlpHiddenSize();
            return linear(gelu(linear(in, prefix + ".fc1", d, m)), prefix + ".fc2", m, d);
        }

        /** softmax(q k^T + bias) v for q [M,H,Lq,hd] (pre-scaled), k and v [M,H,Lk,hd]; bias may be null. */
        String attention(String q, String k, String v, String bias) {
            String scores = w.matMul(q, w.transpose(k, 0, 1, 3, 2)); // [M,H,Lq,hd] x [M,H,hd,Lk] -> [M,H,Lq,Lk]
            if (bias != null) {
                scores = w.add(scores, bias);
            }
            return w.matMul(w.softmax(scores, 3), v); // -> [M,H,Lq,hd]
        }

        /** Splits [k, ...] along axis 0 into k values without that axis. */
        List<String> unstack(String v, int k) {
            long[] ones = new long[k];
            Arrays.fill(ones, 1);
            List<String> parts = w.op("Split", v, w.constantLongs(ones)).attr("axis", 0).outs(k);
            return parts.stream().map(s -> w.squeeze(s, 0)).toList();
        }

        /** Self-attention within groups of {@code seqLen} consecutive tokens of x [M*L, D] (seqLen: Long or dim). */
        String selfAttention(String in, String prefix, Object seqLen) {
            int heads = cfg.numHeads(), hd = cfg.headDim();
            String qkv = reshape(linear(in, prefix + ".qkv", d, 3L * d), -1, seqLen, 3, heads, hd); // [M,L,3,H,hd]
            List<String> s = unstack(w.transpose(qkv, 2, 0, 3, 1, 4), 3);                           // 3 x [M,H,L,hd]
            String o = attention(w.mul(s.get(0), scalar(1.0 / Math.sqrt(hd))), s.get(1), s.get(2), null);
            o = w.reshape(w.transpose(o, 0, 2, 1, 3), -1, d); // [M,H,L,hd] -> [M,L,H,hd] -> [M*L,D]
            return linear(o, prefix + ".proj", d, d);
        }

        /** Cross-attention of x [B*L, D] to text tokens [B*T, D] with the padding bias and the any-text gate. */
        String crossAttention(String in, String tokens, String maskBias, String anyText, String prefix) {
            int heads = cfg.numHeads(), hd = cfg.headDim();
            String q = w.transpose(reshape(linear(in, prefix + ".q", d, d), batch, -1, heads, hd), 0, 2, 1, 3); // [B,H,L,hd]
            q = w.mul(q, scalar(1.0 / Math.sqrt(hd)));
            String kv = reshape(linear(tokens, prefix + ".kv", d, 2L * d), -1, textLen, 2, heads, hd); // [B,T,2,H,hd]
            List<String> s = unstack(w.transpose(kv, 2, 0, 3, 1, 4), 2);                            // 2 x [B,H,T,hd]
            String o = attention(q, s.get(0), w.mul(s.get(1), anyText), maskBias);
            o = w.reshape(w.transpose(o, 0, 2, 1, 3), -1, d); // [B,H,L,hd] -> [B,L,H,hd] -> [B*L,D]
            return linear(o, prefix + ".proj", d, d);
        }

        // ------------------------------------------------------------ shared pieces

        /** x [B,F,C,S,S] -> patch tokens [B*F*N, D] in (frame, row, column) order, patch vectors (c, py, px). */
        String patchEmbed() {
            int c = cfg.latentChannels(), p = cfg.patchSize(), grid = cfg.gridSize();
            String patches = w.reshape(w.transpose(w.reshape(lower(x), -1, c, grid, p, grid, p), 0, 2, 4, 1, 3, 5),
                    -1, cfg.patchDim()); // [B*F,C,h,p,w,p] -> [B*F,h,w,C,p,p] -> [B*F*N,C*p*p]
            String weight = param("x_embedder.proj.weight", new long[] {d, c, p, p}, new long[] {d, cfg.patchDim()});
            return w.gemm(patches, weight, p("x_embedder.proj.bias", d), false, true);
        }

        /** y [B*F*N, p*p*C] (patch vectors (py, px, c)) -> [B,F,C,S,S]. */
        String unpatchify(String y) {
            int c = cfg.latentChannels(), p = cfg.patchSize(), grid = cfg.gridSize(), s = cfg.latentSize();
            String img = w.transpose(w.reshape(y, -1, grid, grid, p, p, c), 0, 5, 1, 3, 2, 4); // -> [B*F,C,h,p,w,p]
            return reshape(img, batch, frames, c, s, s);
        }

        /** Sinusoidal timestep embedding [B, E] = [cos(t f), sin(t f)], computed in FLOAT. */
        String timestepEmbedding() {
            double[] freqs = DenoiserMath.timestepFrequencies(cfg.frequencyEmbeddingSize());
            String args = w.mul(w.reshape(t, -1, 1), w.constant(floats(freqs), 1, freqs.length)); // [B,1] x [1,E/2]
            return lower(w.concat(1, w.cos(args), w.sin(args)));
        }

        /** Text tokens [B,T,Dt] -> [B*T, D] through text_proj. */
        String projectText() {
            return linear(w.reshape(lower(text), -1, cfg.textDim()), "text_proj", cfg.textDim(), d);
        }

        /** Masked mean of projected text [B*T, D] -> [B, D]; zero without real tokens. */
        String pooledText(String tokens) {
            String mask3 = lower(w.unsqueeze(mask, 2));                                      // [B,T,1]
            String summed = reduceSum(w.mul(reshape(tokens, batch, textLen, d), mask3));     // [B,T,D] -> [B,D]
            String count = reduceSum(mask3);                                                 // [B,1]
            return w.div(summed, w.op("Max", count, scalar(1.0)).out());
        }

        String reduceSum(String v) {
            return w.op("ReduceSum", v, w.constantLongs(1)).attr("keepdims", 0).out();
        }

        /** [B,1,1,T]: 0 for real tokens, the padding bias for padding. */
        String maskBias() {
            double bias = half ? MASK_BIAS_FP16 : DenoiserMath.MASK_BIAS;
            String b = w.mul(w.sub(w.constant(1f), mask), w.constant((float) bias));
            return lower(w.unsqueeze(b, 1, 2));
        }

        /** [B,1,1,1]: 1 when the sample has a real text token, else 0 (multiplies the cross-attention values). */
        String anyText() {
            String max = w.op("ReduceMax", mask).ints("axes", 1).attr("keepdims", 1).out(); // [B,1]
            return lower(w.reshape(max, -1, 1, 1, 1));
        }

        /** Per-sample v [B, D] as [B, 1, D], to broadcast over a sample's tokens. */
        String perSample(String v) {
            return w.unsqueeze(v, 1);
        }

        /** Tokens [B*L, D] viewed as [B, L, D]. */
        String bySample(String tokens) {
            return reshape(tokens, batch, -1, d);
        }

        String tokens(String bySample) {
            return w.reshape(bySample, -1, d);
        }

        /** DiT's modulate on tokens: x * (1 + scale) + shift, scale and shift per sample [B,1,D]. */
        String modulate(String tokens, String shift, String scale) {
            return tokens(w.add(w.mul(bySample(tokens), w.add(scale, scalar(1.0))), shift));
        }

        // ------------------------------------------------------------ architectures

        String latte() {
            int c = d;
            String x0 = reshape(patchEmbed(), batch, frames, n, d);                           // [B,F,N,D]
            String space = w.constant(floats(DenoiserMath.sinCos2d(d, cfg.gridSize())), 1, 1, n, d);
            String h = w.add(w.add(x0, lower(space)), sinCos1d());                          // + space + time
            String xs = w.reshape(h, -1, d);                                                 // [B*F*N,D]

            String tokens = projectText();
            String cond = linear(silu(linear(timestepEmbedding(), "t_embedder.mlp.0", cfg.frequencyEmbeddingSize(), d)),
                    "t_embedder.mlp.2", d, d);
            if (cfg.pooledText()) {
                cond = w.add(cond, pooledText(tokens));
            }
            String siluC = silu(cond);
            String maskBias = maskBias();
            String anyText = anyText();
            int k = cfg.modulationChunks();
            for (int i = 0; i < cfg.depth(); i++) {
                String p = "blocks." + i + ".";
                List<String> m = chunks(linear(siluC, p + "adaLN_modulation.1", c, (long) k * d), k); // k x [B,1,D]

                String a = selfAttention(modulate(layerNorm(xs), m.get(0), m.get(1)), p + "attn_spatial", (long) n);
                xs = gated(xs, m.get(2), a);
                if (cfg.temporalAttention()) {
                    String ht = modulate(layerNorm(xs), m.get(3), m.get(4));
                    ht = w.reshape(w.transpose(reshape(ht, batch, frames, n, d), 0, 2, 1, 3), -1, d); // -> [B*N*F,D]
                    ht = selfAttention(ht, p + "attn_temporal", frames);
                    ht = w.reshape(w.transpose(reshape(ht, batch, n, frames, d), 0, 2, 1, 3), -1, d); // -> [B*F*N,D]
                    xs = gated(xs, m.get(5), ht);
                }
                xs = w.add(xs, crossAttention(layerNorm(xs, p + "norm_cross"), tokens, maskBias, anyText,
                        p + "cross_attn"));
                String f = mlp(modulate(layerNorm(xs), m.get(k - 3), m.get(k - 2)), p + "mlp");
                xs = gated(xs, m.get(k - 1), f);
            }
            List<String> fm = chunks(linear(siluC, "final_layer.adaLN_modulation.1", d, 2L * d), 2);
            String out = modulate(layerNorm(xs), fm.get(0), fm.get(1));
            return unpatchify(linear(out, "final_layer.linear", d, cfg.patchDim()));
        }

        /** x + gate * h on tokens, gate per sample [B,1,D]. */
        String gated(String xs, String gate, String h) {
            return w.add(xs, tokens(w.mul(gate, bySample(h))));
        }

        /** A [B, k*D] modulation split into k per-sample [B,1,D] chunks. */
        List<String> chunks(String mod, int k) {
            long[] sizes = new long[k];
            Arrays.fill(sizes, d);
            return w.op("Split", perSample(mod), w.constantLongs(sizes)).attr("axis", 2).outs(k);
        }

        /** The 1D sin-cos embedding of frame positions 0..F-1 as [1,F,1,D], computed in the graph in FLOAT. */
        String sinCos1d() {
            double[] omega = DenoiserMath.positionFrequencies(d);
            String f = w.squeeze(frames, 0);
            String pos = w.cast(w.op("Range", w.constantLong(0), f, w.constantLong(1)).out(), ElementType.FLOAT);
            String args = w.mul(w.unsqueeze(pos, 1), w.constant(floats(omega), 1, omega.length)); // [F,1] x [1,D/2]
            return lower(w.reshape(w.concat(1, w.sin(args), w.cos(args)), 1, -1, 1, d));
        }

        String seed() {
            String tokens = projectText();
            String cond = linear(timestepEmbedding(), "t_embedder.proj", cfg.frequencyEmbeddingSize(), d); // [B,D]
            if (cfg.pooledText()) {
                cond = w.add(cond, pooledText(tokens));
            }
            String x0 = reshape(patchEmbed(), batch, frames, n, d);                               // [B,F,N,D]
            x0 = w.add(x0, w.reshape(p("pos_embed", 1, n, d), 1, 1, n, d));                      // + [1,1,N,D]
            x0 = w.add(x0, w.reshape(cond, -1, 1, 1, d));                                         // + [B,1,1,D]
            String xs = w.reshape(x0, -1, d);
            String maskBias = maskBias();
            String anyText = anyText();
            for (int i = 0; i < cfg.depth(); i++) {
                String b = "blocks." + i + ".";
                xs = w.add(xs, selfAttention(layerNorm(xs, b + "norm1"), b + "attn", (long) n));
                xs = w.add(xs, mlp(layerNorm(xs, b + "norm2"), b + "mlp1"));
                xs = w.add(xs, crossAttention(layerNorm(xs, b + "norm3"), tokens, maskBias, anyText, b + "cross_attn"));
                xs = w.add(xs, mlp(layerNorm(xs, b + "norm4"), b + "mlp2"));
            }
            String h = layerNorm(xs, "norm_out");
            return unpatchify(linear(h, "proj_out", d, cfg.patchDim()));
        }

        static float[] floats(double[] v) {
            float[] f = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                f[i] = (float) v[i];
            }
            return f;
        }

        static float[] floats(INDArray v) {
            return v.castTo(DataType.FLOAT).dup('c').data().asFloat();
        }
    }
}
