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

    /** What every block reads besides x: the graph, the conditioning and the run-time shapes. */
    private record Context(GraphOps g, DenoiserConfig cfg, Inputs in, SDVariable c, SDVariable text,
                           SDVariable maskBias, SDVariable anyText, SDVariable shapeBFND, SDVariable shapeBNFD) {
    }

    private static SDVariable graph(GraphOps g, DenoiserConfig cfg, Inputs in) {
        int d = cfg.hiddenSize(), n = cfg.tokensPerFrame();
        SDVariable shapeBFND = g.dims(in.batch(), in.frames(), n, d);
        SDVariable x = g.patchEmbed(in.x(), cfg).reshape(shapeBFND)                        // [B*F*N,D] -> [B,F,N,D]
                .add(g.constant(GraphOps.sinCos2d(d, cfg.gridSize())).reshape(1, 1, n, d)) // + space, [N,D] -> [1,1,N,D]
                .add(g.sinCos1d(in.framesScalar(), d).reshape(1, -1, 1, d));               // + time, [F,D] -> [1,F,1,D]

        SDVariable text = g.projectText(in.text(), cfg); // [B*T,D]
        SDVariable c = g.linear(g.silu(g.linear(g.timestepEmbedding(in.t(), cfg.frequencyEmbeddingSize()),
                "t_embedder.mlp.0")), "t_embedder.mlp.2"); // [B,D]
        if (cfg.pooledText()) {
            c = c.add(g.pooledText(text, in.textMask(), in.batch(), in.textLen(), d));
        }
        Context ctx = new Context(g, cfg, in, c, text, g.maskBias(in.textMask()), g.anyText(in.textMask()),
                shapeBFND, g.dims(in.batch(), n, in.frames(), d));
        for (int i = 0; i < cfg.depth(); i++) {
            x = new DiTBlock(ctx, "blocks." + i + ".").forward(x);
        }

        SDVariable[] mod = g.sd.split(g.linear(g.silu(c), "final_layer.adaLN_modulation.1"), 2, 1); // [B,2D] -> 2 x [B,D]
        SDVariable h = modulate(g.layerNorm(x, 4), mod[0], mod[1]).reshape(-1, d); // [B,F,N,D] -> [B*F*N,D]
        return g.unpatchify(g.linear(h, "final_layer.linear"), cfg, in.batch(), in.frames());
    }

    /** {@code x * (1 + scale) + shift} with per-sample shift/scale [B,D] broadcast over frames and tokens. */
    static SDVariable modulate(SDVariable x, SDVariable shift, SDVariable scale) {
        return x.mul(perSample(scale).add(1.0)).add(perSample(shift));
    }

    /** [B,D] -> [B,1,1,D], to broadcast over [B,F,N,D]. */
    private static SDVariable perSample(SDVariable v) {
        return v.getSameDiff().expandDims(v.getSameDiff().expandDims(v, 1), 1);
    }

    /**
     * One block on x [B,F,N,D]. The modulation chunks of SiLU(c) -> Linear are, in order: shift, scale, gate for the
     * spatial attention, the temporal attention (when on) and the feed-forward.
     */
    private record DiTBlock(Context ctx, String p) {
        SDVariable forward(SDVariable x) {
            GraphOps g = ctx.g;
            DenoiserConfig cfg = ctx.cfg;
            int d = cfg.hiddenSize(), n = cfg.tokensPerFrame(), heads = cfg.numHeads(), hd = cfg.headDim();
            SDVariable[] m = g.sd.split(g.linear(g.silu(ctx.c), p + "adaLN_modulation.1"), cfg.modulationChunks(), 1);

            SDVariable h = modulate(g.layerNorm(x, 4), m[0], m[1]).reshape(-1, d);   // [B,F,N,D] -> [B*F*N,D]
            h = g.selfAttention(h, p + "attn_spatial", n, heads, hd);              // within each frame's N tokens
            x = x.add(perSample(m[2]).mul(h.reshape(ctx.shapeBFND)));              // [B*F*N,D] -> [B,F,N,D]

            if (cfg.temporalAttention()) {
                h = modulate(g.layerNorm(x, 4), m[3], m[4]).permute(0, 2, 1, 3).reshape(-1, d); // -> [B,N,F,D] -> [B*N*F,D]
                h = g.selfAttention(h, p + "attn_temporal", ctx.in.frames(), heads, hd);        // across the F frames
                h = h.reshape(ctx.shapeBNFD).permute(0, 2, 1, 3);                               // -> [B,N,F,D] -> [B,F,N,D]
                x = x.add(perSample(m[5]).mul(h));
            }

            h = g.layerNorm(x, 4, p + "norm_cross").reshape(-1, d);                  // [B,F,N,D] -> [B*F*N,D]
            h = g.crossAttention(h, ctx.text, ctx.in.batch(), ctx.in.textLen(), ctx.maskBias, ctx.anyText, p + "cross_attn", heads, hd);
            x = x.add(h.reshape(ctx.shapeBFND));                                     // [B*F*N,D] -> [B,F,N,D]

            int k = cfg.modulationChunks();
            h = modulate(g.layerNorm(x, 4), m[k - 3], m[k - 2]).reshape(-1, d);      // [B,F,N,D] -> [B*F*N,D]
            return x.add(perSample(m[k - 1]).mul(g.mlp(h, p + "mlp").reshape(ctx.shapeBFND)));
        }
    }
}
