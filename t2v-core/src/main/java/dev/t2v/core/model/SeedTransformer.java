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
 * The seed project's image denoiser, architecture {@link DenoiserConfig.Architecture#SEED}: a plain pre-LayerNorm
 * transformer over the patch tokens of one latent.
 *
 * <pre>
 * x -> patches -> linear -> tokens [B,F,N,D] + learned pos_embed [1,N,D] + Linear(sinusoidal(t)) (+ pooled text)
 * depth x [x += SelfAttn(LN(x)); x += FF(LN(x)); x += CrossAttn(LN(x), text); x += FF(LN(x))]
 * -> LN -> zero-initialised linear -> unpatchify [B,F,C,H,W]
 * </pre>
 *
 * Frames are independent images here (self-attention stays within a frame; the seed model has F = 1). LayerNorms
 * are affine; feed-forwards use tanh-GELU like {@link VideoTransformer}.
 */
public final class SeedTransformer extends SameDiffDenoiser {

    SeedTransformer(DenoiserConfig cfg, Map<String, INDArray> weights, DataType dtype) {
        super(cfg, weights, dtype, SeedTransformer::graph);
    }

    static List<ParamSpec> parameterSpecs(DenoiserConfig cfg) {
        long d = cfg.hiddenSize(), p = cfg.patchSize(), m = cfg.mlpHiddenSize();
        List<ParamSpec> s = new ArrayList<>();
        s.add(new ParamSpec("x_embedder.proj.weight", new long[] {d, cfg.latentChannels(), p, p}, Init.XAVIER_UNIFORM));
        s.add(new ParamSpec("x_embedder.proj.bias", new long[] {d}, Init.ZEROS));
        s.add(new ParamSpec("pos_embed", new long[] {1, cfg.tokensPerFrame(), d}, Init.NORMAL_002));
        ParamSpec.linear(s, "t_embedder.proj", cfg.frequencyEmbeddingSize(), d, Init.NORMAL_002);
        ParamSpec.linear(s, "text_proj", cfg.textDim(), d);
        for (int i = 0; i < cfg.depth(); i++) {
            String b = "blocks." + i + ".";
            ParamSpec.layerNorm(s, b + "norm1", d);
            ParamSpec.linear(s, b + "attn.qkv", d, 3 * d);
            ParamSpec.linear(s, b + "attn.proj", d, d);
            ParamSpec.layerNorm(s, b + "norm2", d);
            ParamSpec.linear(s, b + "mlp1.fc1", d, m);
            ParamSpec.linear(s, b + "mlp1.fc2", m, d);
            ParamSpec.layerNorm(s, b + "norm3", d);
            ParamSpec.linear(s, b + "cross_attn.q", d, d);
            ParamSpec.linear(s, b + "cross_attn.kv", d, 2 * d);
            ParamSpec.linear(s, b + "cross_attn.proj", d, d);
            ParamSpec.layerNorm(s, b + "norm4", d);
            ParamSpec.linear(s, b + "mlp2.fc1", d, m);
            ParamSpec.linear(s, b + "mlp2.fc2", m, d);
        }
        ParamSpec.layerNorm(s, "norm_out", d);
        // Zero output layer: the untrained model predicts exactly zero.
        ParamSpec.linear(s, "proj_out", d, cfg.patchDim(), Init.ZEROS);
        return s;
    }

    private static SDVariable graph(GraphOps g, DenoiserConfig cfg, Inputs in) {
        int d = cfg.hiddenSize(), n = cfg.tokensPerFrame(), heads = cfg.numHeads(), hd = cfg.headDim();
        SDVariable shapeBFND = g.dims(in.batch(), in.frames(), n, d);
        SDVariable text = g.projectText(in.text(), cfg); // [B*T,D]
        SDVariable cond = g.linear(g.timestepEmbedding(in.t(), cfg.frequencyEmbeddingSize()), "t_embedder.proj"); // [B,D]
        if (cfg.pooledText()) {
            cond = cond.add(g.pooledText(text, in.textMask(), in.batch(), in.textLen(), d));
        }
        SDVariable x = g.patchEmbed(in.x(), cfg).reshape(shapeBFND)  // [B*F*N,D] -> [B,F,N,D]
                .add(g.p("pos_embed").reshape(1, 1, n, d))            // [1,N,D] -> [1,1,N,D]
                .add(cond.reshape(-1, 1, 1, d))                       // [B,D] -> [B,1,1,D]
                .reshape(-1, d);                                      // -> tokens [B*F*N,D]
        SDVariable maskBias = g.maskBias(in.textMask());
        SDVariable anyText = g.anyText(in.textMask());

        for (int i = 0; i < cfg.depth(); i++) {
            String b = "blocks." + i + ".";
            x = x.add(g.selfAttention(g.layerNorm(x, d, b + "norm1"), b + "attn", n, heads, hd)); // within each frame
            x = x.add(g.mlp(g.layerNorm(x, d, b + "norm2"), b + "mlp1"));
            x = x.add(g.crossAttention(g.layerNorm(x, d, b + "norm3"), text, in.batch(), in.textLen(), maskBias,
                    anyText, b + "cross_attn", heads, hd));
            x = x.add(g.mlp(g.layerNorm(x, d, b + "norm4"), b + "mlp2"));
        }
        SDVariable h = g.layerNorm(x, d, "norm_out");
        return g.unpatchify(g.linear(h, "proj_out"), cfg, in.batch(), in.frames());
    }
}
