package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import dev.t2v.core.model.ParamSpec.Init;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Latte-style video diffusion transformer (DiT blocks with factorised space/time attention), architecture
 * {@link DenoiserConfig.Architecture#LATTE}.
 *
 * <pre>
 * x [B,F,C,H,W] -> patches -> linear -> tokens [B,F,N,D] + fixed 2D sin-cos (space) + fixed 1D sin-cos (time)
 * t [B] -> sinusoidal(E) -> Linear, SiLU, Linear -> c [B,D]   (+ masked mean of projected text when pooled_text)
 * text [B,T,Dt] -> text_proj -> [B,T,D]
 * depth x DiTBlock(x, c, text) -> final adaLN (shift, scale) -> zero-initialised linear -> unpatchify [B,F,C,H,W]
 * </pre>
 *
 * <p>Each {@link DiTBlock}: adaLN-Zero-modulated spatial self-attention within each frame, temporal self-attention
 * across frames at each spatial position (omitted when {@code temporal_attention} is off), cross-attention to the
 * text (pre-LayerNorm with affine, padding masked), and a tanh-GELU feed-forward. One graph serves every batch size,
 * frame count (the temporal positions are computed in the graph, F = 1 is image mode) and text length.
 *
 * <p>Between layers the tokens travel as a matrix [B*F*N, D] in (sample, frame, row, column) order, so linears and
 * norms need no reshapes; only temporal attention reorders them.
 */
public final class VideoTransformer extends SameDiffDenoiser {

    VideoTransformer(DenoiserConfig cfg, Map<String, INDArray> weights, DataType dtype) {
        super(cfg, weights, dtype, VideoTransformer::graph);
    }

    /**
     * adaLN-Zero, as DiT: every modulation and the final projection start at zero, so each block starts as the
     * identity and the untrained model outputs exactly zero.
     */
    private static boolean zeroInitialised(String name) {
        return name.contains(".adaLN_modulation.") || name.startsWith("final_layer.linear.");
    }

    static List<ParamSpec> parameterSpecs(DenoiserConfig cfg) {
        long d = cfg.hiddenSize(), p = cfg.patchSize();
        List<ParamSpec> s = new ArrayList<>();
        s.add(new ParamSpec("x_embedder.proj.weight", new long[] {d, cfg.latentChannels(), p, p}, Init.XAVIER_UNIFORM));
        s.add(new ParamSpec("x_embedder.proj.bias", new long[] {d}, Init.ZEROS));
        ParamSpec.linear(s, "t_embedder.mlp.0", cfg.frequencyEmbeddingSize(), d, Init.NORMAL_002);
        ParamSpec.linear(s, "t_embedder.mlp.2", d, d, Init.NORMAL_002);
        ParamSpec.linear(s, "text_proj", cfg.textDim(), d);
        for (int i = 0; i < cfg.depth(); i++) {
            String b = "blocks." + i + ".";
            ParamSpec.linear(s, b + "adaLN_modulation.1", d, cfg.modulationChunks() * d);
            ParamSpec.linear(s, b + "attn_spatial.qkv", d, 3 * d);
            ParamSpec.linear(s, b + "attn_spatial.proj", d, d);
            if (cfg.temporalAttention()) {
                ParamSpec.linear(s, b + "attn_temporal.qkv", d, 3 * d);
                ParamSpec.linear(s, b + "attn_temporal.proj", d, d);
            }
            ParamSpec.layerNorm(s, b + "norm_cross", d);
            ParamSpec.linear(s, b + "cross_attn.q", d, d);
            ParamSpec.linear(s, b + "cross_attn.kv", d, 2 * d);
            ParamSpec.linear(s, b + "cross_attn.proj", d, d);
            ParamSpec.linear(s, b + "mlp.fc1", d, cfg.mlpHiddenSize());
            ParamSpec.linear(s, b + "mlp.fc2", cfg.mlpHiddenSize(), d);
        }
        ParamSpec.linear(s, "final_layer.adaLN_modulation.1", d, 2 * d);
        ParamSpec.linear(s, "final_layer.linear", d, cfg.patchDim());
        s.replaceAll(spec -> zeroInitialised(spec.name()) ? new ParamSpec(spec.name(), spec.shape(), Init.ZEROS) : spec);
        return s;
    }

    /**
     * What every block reads besides x: the graph, the conditioning, the run-time shapes and {@code ones} [B,L,1]
     * (L = F*N tokens per sample) for broadcasting per-sample vectors over a sample's tokens.
     */
    private record Context(GraphOps g, DenoiserConfig cfg, Inputs in, SDVariable c, SDVariable text,
                           SDVariable maskBias, SDVariable anyText, SDVariable shapeBFND, SDVariable shapeBNFD,
                           SDVariable ones) {

        /** Per-sample v [B,D] repeated over the sample's tokens: [B,L,1] x [B,1,D] -> [B,L,D] -> [B*L,D]. */
        SDVariable perToken(SDVariable v) {
            return g.outer(ones, v.reshape(-1, 1, cfg.hiddenSize())).reshape(-1, cfg.hiddenSize());
        }

        /** DiT's modulate: {@code x * (1 + scale) + shift} on tokens [B*L,D], shift and scale per sample [B,D]. */
        SDVariable modulate(SDVariable x, SDVariable shift, SDVariable scale) {
            return x.mul(perToken(scale.add(1.0))).add(perToken(shift));
        }
    }

    private static SDVariable graph(GraphOps g, DenoiserConfig cfg, Inputs in) {
        int d = cfg.hiddenSize(), n = cfg.tokensPerFrame();
        SDVariable shapeBFND = g.dims(in.batch(), in.frames(), n, d);
        SDVariable x = g.patchEmbed(in.x(), cfg).reshape(shapeBFND)                        // [B*F*N,D] -> [B,F,N,D]
                .add(g.constant(GraphOps.sinCos2d(d, cfg.gridSize())).reshape(1, 1, n, d)) // + space, [N,D] -> [1,1,N,D]
                .add(g.sinCos1d(in.framesScalar(), d).reshape(1, -1, 1, d))                // + time, [F,D] -> [1,F,1,D]
                .reshape(-1, d);                                                           // -> tokens [B*F*N,D]
        SDVariable ones = g.reshape(g.sd.fill(g.dims(in.batch(), in.frames(), n, 1), g.dtype, 1.0), // [B,F,N,1]
                in.batch(), -1, 1);                                                                // -> [B,F*N,1]

        SDVariable text = g.projectText(in.text(), cfg); // [B*T,D]
        SDVariable c = g.linear(g.silu(g.linear(g.timestepEmbedding(in.t(), cfg.frequencyEmbeddingSize()),
                "t_embedder.mlp.0")), "t_embedder.mlp.2"); // [B,D]
        if (cfg.pooledText()) {
            c = c.add(g.pooledText(text, in.textMask(), in.batch(), in.textLen(), d));
        }
        Context ctx = new Context(g, cfg, in, c, text, g.maskBias(in.textMask()), g.anyText(in.textMask()),
                shapeBFND, g.dims(in.batch(), n, in.frames(), d), ones);
        for (int i = 0; i < cfg.depth(); i++) {
            x = new DiTBlock(ctx, "blocks." + i + ".").forward(x);
        }

        SDVariable[] mod = g.sd.split(g.linear(g.silu(c), "final_layer.adaLN_modulation.1"), 2, 1); // [B,2D] -> 2 x [B,D]
        SDVariable h = ctx.modulate(g.layerNorm(x, d), mod[0], mod[1]);
        return g.unpatchify(g.linear(h, "final_layer.linear"), cfg, in.batch(), in.frames());
    }

    /**
     * One block on tokens x [B*F*N, D]. The modulation chunks of SiLU(c) -> Linear are, in order: shift, scale, gate
     * for the spatial attention, the temporal attention (when on) and the feed-forward.
     */
    private record DiTBlock(Context ctx, String p) {
        SDVariable forward(SDVariable x) {
            GraphOps g = ctx.g;
            DenoiserConfig cfg = ctx.cfg;
            int d = cfg.hiddenSize(), n = cfg.tokensPerFrame(), heads = cfg.numHeads(), hd = cfg.headDim();
            SDVariable[] m = g.sd.split(g.linear(g.silu(ctx.c), p + "adaLN_modulation.1"), cfg.modulationChunks(), 1);

            SDVariable h = ctx.modulate(g.layerNorm(x, d), m[0], m[1]);
            h = g.selfAttention(h, p + "attn_spatial", n, heads, hd);     // within each frame's N tokens
            x = x.add(ctx.perToken(m[2]).mul(h));

            if (cfg.temporalAttention()) {
                h = ctx.modulate(g.layerNorm(x, d), m[3], m[4])
                        .reshape(ctx.shapeBFND).permute(0, 2, 1, 3).reshape(-1, d); // [B*F*N,D] -> [B,N,F,D] -> [B*N*F,D]
                h = g.selfAttention(h, p + "attn_temporal", ctx.in.frames(), heads, hd); // across the F frames
                h = h.reshape(ctx.shapeBNFD).permute(0, 2, 1, 3).reshape(-1, d);       // -> [B,F,N,D] -> [B*F*N,D]
                x = x.add(ctx.perToken(m[5]).mul(h));
            }

            h = g.crossAttention(g.layerNorm(x, d, p + "norm_cross"), ctx.text, ctx.in.batch(), ctx.in.textLen(),
                    ctx.maskBias, ctx.anyText, p + "cross_attn", heads, hd);
            x = x.add(h);

            int k = cfg.modulationChunks();
            h = ctx.modulate(g.layerNorm(x, d), m[k - 3], m[k - 2]);
            return x.add(ctx.perToken(m[k - 1]).mul(g.mlp(h, p + "mlp")));
        }
    }
}
