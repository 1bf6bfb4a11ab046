package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layers both denoiser graphs are built from, written out of plain SameDiff ops because ND4J's own versions differ
 * from PyTorch's: LayerNorm with epsilon, tanh-GELU, attention with biases and masks.
 *
 * <p>Shapes with a batch, frame or text length that is only known at run time are built from {@code shape()} ops
 * ({@link #dims}), so one graph serves every B, F and T.
 */
final class GraphOps {
    /** See {@link DenoiserMath#MASK_BIAS}. */
    static final double MASK_BIAS = DenoiserMath.MASK_BIAS;

    final SameDiff sd;
    final DataType dtype;
    private final double eps;
    private final Map<Integer, SDVariable> onesRows = new HashMap<>();
    private int broadcasts;

    GraphOps(SameDiff sd, DataType dtype, double eps) {
        this.sd = sd;
        this.dtype = dtype;
        this.eps = eps;
    }

    SDVariable p(String name) {
        SDVariable v = sd.getVariable(name);
        if (v == null) {
            throw new IllegalStateException("graph has no parameter '" + name + "'");
        }
        return v;
    }

    SDVariable constant(INDArray value) {
        return sd.constant(value.castTo(dtype));
    }

    // ---------------------------------------------------------------- shapes

    /** Element {@code i} of a shape, as a rank-1 LONG vector of length 1 (for {@link #dims}). */
    static SDVariable dim(SDVariable shape, int i) {
        return shape.get(SDIndex.interval(i, i + 1));
    }

    /** A LONG shape vector from numbers and rank-1 dimension vectors (see {@link #dim}); -1 means "infer". */
    SDVariable dims(Object... parts) {
        List<SDVariable> vars = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof Number n) {
                run.add(n.longValue());
            } else {
                flush(run, vars);
                vars.add((SDVariable) part);
            }
        }
        flush(run, vars);
        return vars.size() == 1 ? vars.get(0) : sd.concat(0, vars.toArray(new SDVariable[0]));
    }

    private void flush(List<Long> run, List<SDVariable> vars) {
        if (!run.isEmpty()) {
            vars.add(sd.constant(Nd4j.createFromArray(run.toArray(new Long[0]))));
            run.clear();
        }
    }

    /** Reshape to {@code parts}: static when all are numbers, else built at run time by {@link #dims}. */
    SDVariable reshape(SDVariable x, Object... parts) {
        boolean dynamic = false;
        long[] fixed = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] instanceof Number n) {
                fixed[i] = n.longValue();
            } else {
                dynamic = true;
            }
        }
        return dynamic ? x.reshape(dims(parts)) : x.reshape(fixed);
    }

    // ---------------------------------------------------------------- layers

    /** {@code x @ W^T + b} for x [M, in] and a PyTorch-layout weight [out, in]; returns [M, out]. */
    SDVariable linear(SDVariable x, String prefix) {
        return sd.mmul(x, p(prefix + ".weight"), false, true, false).add(p(prefix + ".bias"));
    }

    /**
     * The part of a linear that produces outputs {@code [from, to)}, times {@code scale}: {@code x @ (s W[from:to])^T +
     * s b[from:to]}. A fused projection (qkv, kv) is computed as one such product per part, so each comes out as its
     * own contiguous matrix instead of being cut out of the fused output by reshape, permute and unstack copies; the
     * scale (attention's 1/sqrt(hd) on the queries) goes on the small weight slice rather than on the activations.
     */
    SDVariable linearRows(SDVariable x, String prefix, long from, long to, double scale) {
        SDVariable w = p(prefix + ".weight");
        SDVariable b = p(prefix + ".bias");
        long out = w.getShape()[0];
        if (from != 0 || to != out) {
            w = w.get(SDIndex.interval(from, to), SDIndex.all()); // [out,in] -> [to-from,in]
            b = b.get(SDIndex.interval(from, to));
        }
        if (scale != 1) {
            w = w.mul(scale);
            b = b.mul(scale);
        }
        return sd.mmul(x, w, false, true, false).add(b);
    }

    /** LayerNorm over tokens [M, D] without affine parameters, as DiT's norms. */
    SDVariable layerNorm(SDVariable x, int d) {
        return normalise(x, onesRow(d));
    }

    /** LayerNorm over tokens [M, D] with PyTorch's affine {@code prefix.weight} / {@code prefix.bias}. */
    SDVariable layerNorm(SDVariable x, int d, String prefix) {
        return normalise(x, p(prefix + ".weight").reshape(1, d)).add(p(prefix + ".bias")); // [D] -> [1,D]
    }

    /** {@code (x - mean) / sqrt(var + eps) * rowScale} over the last axis of x [M, D]; rowScale is [1, D]. */
    private SDVariable normalise(SDVariable x, SDVariable rowScale) {
        SDVariable centred = x.sub(x.mean(true, 1));                                 // [M,D] - [M,1]
        SDVariable inverseStd = sd.math.rsqrt(centred.mul(centred).mean(true, 1).add(eps)); // [M,1]
        return centred.mul(outer(inverseStd, rowScale));                             // [M,1] x [1,D] -> [M,D]
    }

    /**
     * LayerNorm without affine parameters followed by DiT's modulate, on tokens x [M, D] whose rows belong to samples
     * as {@code owner} [M, B] says (see {@link #owner}): {@code (x - mean) / sqrt(var + eps) * (1 + scale) + shift}
     * with per-sample {@code shift}, {@code scale} [B, D]. The per-row inverse deviation and the per-sample scale are
     * combined into one factor matrix by a single product ({@code (owner * rstd) @ (1 + scale)}), so the tokens are
     * multiplied once instead of twice.
     */
    SDVariable normModulate(SDVariable x, SDVariable owner, SDVariable shift, SDVariable scale) {
        SDVariable centred = x.sub(x.mean(true, 1));                                         // [M,D] - [M,1]
        SDVariable inverseStd = sd.math.rsqrt(centred.mul(centred).mean(true, 1).add(eps));  // [M,1]
        SDVariable factor = perRow(owner.mul(inverseStd), scale.add(1.0));                   // [M,B] x [B,D] -> [M,D]
        return centred.mul(factor).add(perRow(owner, shift));
    }

    /**
     * The sample-membership matrix of tokens in sample order, {@code L} per sample: [B*L, B], 1 where row i belongs to
     * sample b (i / L == b), else 0. Multiplying by it repeats per-sample rows over their tokens ({@link #perRow}).
     */
    SDVariable owner(SDVariable batchScalar, SDVariable tokensPerSample) {
        SDVariable rows = sd.range(sd.constant(0L), batchScalar.mul(tokensPerSample), sd.constant(1L), DataType.LONG);
        SDVariable sample = sd.math.floorDiv(rows, tokensPerSample).reshape(-1, 1);                 // [B*L,1]
        SDVariable samples = sd.range(sd.constant(0L), batchScalar, sd.constant(1L), DataType.LONG).reshape(1, -1); // [1,B]
        return sd.eq(sample, samples).castTo(dtype);                                                 // -> [B*L,B]
    }

    /**
     * Per-sample rows v [B, D] repeated over each sample's tokens: {@code owner @ v} -> [B*L, D] (exact: one product
     * of 1 and the rest of 0 per output). A 2-D product writes the token matrix directly, with no reshape copy, and its
     * backprop is a GEMM that sums over each sample's tokens. These products are broadcasts, not model FLOPs: their
     * outputs are named {@code broadcast_*} so FLOP counters can leave them out.
     */
    SDVariable perRow(SDVariable owner, SDVariable v) {
        return sd.mmul("broadcast_" + broadcasts++, owner, v);
    }

    /**
     * Broadcasts by a K = 1 matrix product ([..,M,1] x [..,1,D] -> [..,M,D]) so that the following multiply has equal
     * shapes: ND4J's backprop of a broadcasting multiply is 2-3x slower than that of a same-shape one, while a K = 1
     * product's backprop is a pair of GEMVs. (Not counted by {@link DenoiserConfig#forwardFlops}: it is elementwise
     * work.)
     */
    SDVariable outer(SDVariable column, SDVariable row) {
        return sd.mmul(column, row);
    }

    private SDVariable onesRow(int d) {
        return onesRows.computeIfAbsent(d, k -> sd.constant(Nd4j.ones(dtype, 1, k)));
    }

    /**
     * GELU, tanh approximation (PyTorch's {@code approximate="tanh"}, as DiT's MLPs):
     * {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, computed through the identity
     * {@code 0.5 (1 + tanh(z)) = sigmoid(2z)} as {@code x * sigmoid(x * (a + b x^2))} with {@code a = 2 sqrt(2/pi)},
     * {@code b = 0.044715 a}: fewer and cheaper ops (ND4J's sigmoid is about twice as fast as its tanh). An ONNX
     * export must use this formula (or {@code Gelu} with {@code approximate="tanh"}).
     */
    SDVariable gelu(SDVariable x) {
        return x.mul(sd.nn.sigmoid(x.mul(x).mul(DenoiserMath.GELU_B).add(DenoiserMath.GELU_A).mul(x)));
    }

    /** SiLU, {@code x * sigmoid(x)}. */
    SDVariable silu(SDVariable x) {
        return x.mul(sd.nn.sigmoid(x));
    }

    /** A GELU feed-forward on tokens [M, D]: {@code prefix.fc1} (D -> hidden), GELU, {@code prefix.fc2}. */
    SDVariable mlp(SDVariable x, String prefix) {
        return linear(gelu(linear(x, prefix + ".fc1")), prefix + ".fc2");
    }

    /**
     * Scaled dot-product attention. q [M,H,Lq,hd] (already scaled by 1/sqrt(hd)), k and v [M,H,Lk,hd], optional
     * additive {@code bias} broadcastable to [M,H,Lq,Lk]; returns [M,H,Lq,hd].
     */
    SDVariable attention(SDVariable q, SDVariable k, SDVariable v, SDVariable bias) {
        SDVariable scores = sd.mmul(q, k, false, true, false); // [M,H,Lq,hd] x [M,H,Lk,hd]^T -> [M,H,Lq,Lk]
        if (bias != null) {
            scores = scores.add(bias);
        }
        // ND4J's FLOAT softmax subtracts the row max; its DOUBLE one skips that for some shapes and overflows past
        // |score| ~ 700, which only gradient checks with extreme random weights would reach.
        return sd.mmul(sd.nn.softmax(scores, 3), v); // [M,H,Lq,Lk] x [M,H,Lk,hd] -> [M,H,Lq,hd]
    }

    /** Tokens [M*L, H*hd] -> heads [M, H, L, hd] ({@code seqLen} = L, a number or a dim vector). */
    SDVariable splitHeads(SDVariable x, Object seqLen, int heads, int headDim) {
        return reshape(x, -1, seqLen, heads, headDim).permute(0, 2, 1, 3); // [M*L,D] -> [M,L,H,hd] -> [M,H,L,hd]
    }

    /** Heads [M, H, L, hd] -> tokens [M*L, H*hd]. */
    SDVariable mergeHeads(SDVariable o, int d) {
        return o.permute(0, 2, 1, 3).reshape(-1, d); // [M,H,L,hd] -> [M,L,H,hd] -> [M*L,D]
    }

    /**
     * Multi-head self-attention within groups of {@code seqLen} consecutive tokens: x [M*L, D] -> [M*L, D], with
     * fused {@code prefix.qkv} and output {@code prefix.proj} linears. {@code seqLen} is a number or a dim vector.
     */
    SDVariable selfAttention(SDVariable x, String prefix, Object seqLen, int heads, int headDim) {
        int d = heads * headDim;
        String qkv = prefix + ".qkv";
        SDVariable q = splitHeads(linearRows(x, qkv, 0, d, 1.0 / Math.sqrt(headDim)), seqLen, heads, headDim);
        SDVariable k = splitHeads(linearRows(x, qkv, d, 2L * d, 1), seqLen, heads, headDim);
        SDVariable v = splitHeads(linearRows(x, qkv, 2L * d, 3L * d, 1), seqLen, heads, headDim);
        return linear(mergeHeads(attention(q, k, v, null), d), prefix + ".proj");
    }

    /**
     * Self-attention across the F frames at each of the N spatial positions, for tokens x [B*F*N, D] in (sample,
     * frame, position) order, returning the same order. Each of q, k, v is reordered to [B*N, H, F, hd] straight from
     * its projection, and the heads come back to token order before the output projection, so the tokens themselves
     * are never transposed to (sample, position, frame) order and back.
     */
    SDVariable temporalAttention(SDVariable x, String prefix, SDVariable batch, SDVariable frames, int n, int heads,
                                 int headDim) {
        int d = heads * headDim;
        String qkv = prefix + ".qkv";
        SDVariable q = framesLast(linearRows(x, qkv, 0, d, 1.0 / Math.sqrt(headDim)), batch, frames, n, heads, headDim);
        SDVariable k = framesLast(linearRows(x, qkv, d, 2L * d, 1), batch, frames, n, heads, headDim);
        SDVariable v = framesLast(linearRows(x, qkv, 2L * d, 3L * d, 1), batch, frames, n, heads, headDim);
        SDVariable o = reshape(attention(q, k, v, null), batch, n, heads, frames, headDim) // [B*N,H,F,hd] -> [B,N,H,F,hd]
                .permute(0, 3, 1, 2, 4)                                                  // -> [B,F,N,H,hd]
                .reshape(-1, d);                                                          // -> [B*F*N,D]
        return linear(o, prefix + ".proj");
    }

    /** [B*F*N, H*hd] -> [B*N, H, F, hd]. */
    private SDVariable framesLast(SDVariable t, SDVariable batch, SDVariable frames, int n, int heads, int headDim) {
        return reshape(reshape(t, batch, frames, n, heads, headDim) // [B*F*N,D] -> [B,F,N,H,hd]
                .permute(0, 2, 3, 1, 4), -1, heads, frames, headDim); // -> [B,N,H,F,hd] -> [B*N,H,F,hd]
    }

    /**
     * Multi-head cross-attention of queries x [B*L, D] (L tokens per sample, inferred) to text tokens [B*T, D],
     * honouring {@code maskBias} [B,1,1,T] (0 for real tokens, {@link #MASK_BIAS} for padding). The values are
     * multiplied by {@code anyText} [B,1,1,1] (see {@link #anyText}), so a sample whose text is all padding gets
     * just the output bias, whatever the padding holds. Linears
     * {@code prefix.q}, {@code prefix.kv} (fused keys and values) and {@code prefix.proj}; returns [B*L, D].
     */
    SDVariable crossAttention(SDVariable x, SDVariable text, SDVariable batch, SDVariable textLen, SDVariable maskBias,
                              SDVariable anyText, String prefix, int heads, int headDim) {
        int d = heads * headDim;
        SDVariable q = reshape(linearRows(x, prefix + ".q", 0, d, 1.0 / Math.sqrt(headDim)), batch, -1, heads, headDim)
                .permute(0, 2, 1, 3);                                              // [B*L,D] -> [B,L,H,hd] -> [B,H,L,hd]
        SDVariable k = splitHeads(linearRows(text, prefix + ".kv", 0, d, 1), textLen, heads, headDim);      // [B,H,T,hd]
        SDVariable v = splitHeads(linearRows(text, prefix + ".kv", d, 2L * d, 1), textLen, heads, headDim);
        SDVariable o = attention(q, k, v.mul(anyText), maskBias); // all-padding text: values zeroed
        return linear(mergeHeads(o, d), prefix + ".proj");
    }

    // ---------------------------------------------------------------- shared by both architectures

    /**
     * Patch embedding as a reshape + linear: x [B,F,C,H,W] -> tokens [B*F*N, D] in (frame, row, column) order.
     * The weight keeps the PyTorch Conv2d layout {@code x_embedder.proj.weight [D,C,p,p]}, so the patch vector is
     * ordered (c, py, px) like the convolution's kernel.
     */
    SDVariable patchEmbed(SDVariable x, DenoiserConfig cfg) {
        int c = cfg.latentChannels(), p = cfg.patchSize(), grid = cfg.gridSize();
        SDVariable patches = x.reshape(-1, c, grid, p, grid, p) // [B,F,C,H,W] -> [B*F,C,h,p,w,p]
                .permute(0, 2, 4, 1, 3, 5)                      // -> [B*F,h,w,C,p,p]
                .reshape(-1, cfg.patchDim());                   // -> [B*F*N,C*p*p]
        SDVariable w = p("x_embedder.proj.weight").reshape(cfg.hiddenSize(), cfg.patchDim()); // [D,C,p,p] -> [D,C*p*p]
        return sd.mmul(patches, w, false, true, false).add(p("x_embedder.proj.bias"));       // -> [B*F*N,D]
    }

    /** Inverse of the patching, DiT's unpatchify: y [B*F*N, p*p*C] (patch vector ordered (py, px, c)) -> [B,F,C,H,W]. */
    SDVariable unpatchify(SDVariable y, DenoiserConfig cfg, SDVariable batch, SDVariable frames) {
        int c = cfg.latentChannels(), p = cfg.patchSize(), grid = cfg.gridSize(), s = cfg.latentSize();
        SDVariable img = y.reshape(-1, grid, grid, p, p, c) // [B*F*N,p*p*C] -> [B*F,h,w,p,p,C]
                .permute(0, 5, 1, 3, 2, 4);                 // -> [B*F,C,h,p,w,p]
        return reshape(img, batch, frames, c, s, s);        // -> [B,F,C,H,W]
    }

    /** Text tokens [B,T,Dt] projected to the model width by {@code text_proj}: [B*T, D]. */
    SDVariable projectText(SDVariable text, DenoiserConfig cfg) {
        return linear(text.reshape(-1, cfg.textDim()), "text_proj"); // [B,T,Dt] -> [B*T,Dt] -> [B*T,D]
    }

    /** The additive attention bias for a text mask [B,T]: 0 for real tokens, {@link #MASK_BIAS} for padding, [B,1,1,T]. */
    SDVariable maskBias(SDVariable mask) {
        return sd.expandDims(sd.expandDims(mask.rsub(1.0).mul(MASK_BIAS), 1), 1); // [B,T] -> [B,1,1,T]
    }

    /**
     * [B,1,1,1]: 1 when a sample has at least one real text token, else 0. Cross-attention values are multiplied by
     * it, so an all-padding text has no effect (a softmax over only masked keys would otherwise average them).
     */
    SDVariable anyText(SDVariable mask) {
        // Reductions run on the rank-3 [B,T,1]: M2.1 crashes reducing a rank-2 [B,1] over its length-1 axis.
        return sd.max(sd.expandDims(mask, 2), true, 1).reshape(-1, 1, 1, 1); // [B,T] -> [B,T,1] -> [B,1,1] -> [B,1,1,1]
    }

    /** Masked mean of projected text tokens [B*T, D] -> [B, D]; zero for a sample without real tokens. */
    SDVariable pooledText(SDVariable tokens, SDVariable mask, SDVariable batch, SDVariable textLen, int d) {
        SDVariable mask3 = sd.expandDims(mask, 2);                 // [B,T] -> [B,T,1]
        SDVariable summed = reshape(tokens, batch, textLen, d)     // [B*T,D] -> [B,T,D]
                .mul(mask3)
                .sum(1);                                           // -> [B,D]
        SDVariable count = mask3.sum(1);                           // [B,T,1] -> [B,1]
        return summed.div(sd.math.max(count, sd.onesLike(count))); // never divide by 0
    }

    // ---------------------------------------------------------------- embeddings

    /**
     * DiT's sinusoidal timestep embedding: t [B] -> [B, dim] = [cos(t·f), sin(t·f)] with
     * f_i = exp(-ln(10000) · i / (dim/2)), i < dim/2.
     */
    SDVariable timestepEmbedding(SDVariable t, int dim) {
        double[] freqs = DenoiserMath.timestepFrequencies(dim);
        int half = freqs.length;
        SDVariable args = t.reshape(-1, 1).mul(constant(Nd4j.create(freqs, new long[] {1, half}, DataType.DOUBLE))); // [B]->[B,1]; x [1,half] -> [B,half]
        return sd.concat(1, sd.math.cos(args), sd.math.sin(args));
    }

    /** DiT's fixed 2D sin-cos position embedding, see {@link DenoiserMath#sinCos2d}. */
    static INDArray sinCos2d(int dim, int grid) {
        return DenoiserMath.sinCos2d(dim, grid);
    }

    /**
     * DiT's 1D sin-cos embedding of positions 0..F-1, built in the graph so any frame count works:
     * {@code frames} is a rank-0 LONG; returns [F, dim] = [sin(f·ω), cos(f·ω)].
     */
    SDVariable sinCos1d(SDVariable frames, int dim) {
        double[] omega = DenoiserMath.positionFrequencies(dim);
        SDVariable pos = sd.range(sd.constant(0L), frames, sd.constant(1L), DataType.LONG).castTo(dtype); // [F]
        SDVariable args = pos.reshape(-1, 1)                                              // [F] -> [F,1]
                .mul(constant(Nd4j.create(omega, new long[] {1, omega.length}, DataType.DOUBLE))); // -> [F,dim/2]
        return sd.concat(1, sd.math.sin(args), sd.math.cos(args));
    }
}
