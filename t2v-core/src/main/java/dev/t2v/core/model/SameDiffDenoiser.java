package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What both denoisers share: owning the SameDiff graph and its parameter arrays, the placeholders, input checks,
 * {@link #forward} and {@link #close}. The architecture-specific layers come in as a {@link GraphBuilder}.
 */
abstract class SameDiffDenoiser implements Denoiser {

    /**
     * The graph's inputs plus the run-time dimensions derived from them: rank-1 LONG vectors of length 1 (for shapes),
     * and the batch size and frame count as rank-0 LONG scalars (for arithmetic).
     */
    record Inputs(SDVariable x, SDVariable t, SDVariable text, SDVariable textMask,
                  SDVariable batch, SDVariable frames, SDVariable batchScalar, SDVariable framesScalar,
                  SDVariable textLen) {
    }

    /** Builds an architecture's layers on top of the inputs and returns the output [B,F,C,H,W]. */
    @FunctionalInterface
    interface GraphBuilder {
        SDVariable build(GraphOps g, DenoiserConfig cfg, Inputs in);
    }

    private final DenoiserConfig cfg;
    private final DataType dtype;
    private final List<String> names;
    private SameDiff sd;

    SameDiffDenoiser(DenoiserConfig cfg, Map<String, INDArray> weights, DataType dtype, GraphBuilder builder) {
        this.cfg = cfg;
        this.dtype = dtype;
        this.names = List.copyOf(weights.keySet());
        SameDiff graph = SameDiff.create();
        weights.forEach(graph::var);
        int c = cfg.latentChannels(), s = cfg.latentSize();
        SDVariable x = graph.placeHolder("x", dtype, -1, -1, c, s, s);
        SDVariable t = graph.placeHolder("t", dtype, -1);
        SDVariable text = graph.placeHolder("text", dtype, -1, -1, cfg.textDim());
        SDVariable mask = graph.placeHolder("text_mask", dtype, -1, -1);
        SDVariable xShape = x.shape();
        SDVariable textShape = text.shape();
        Inputs in = new Inputs(x, t, text, mask, GraphOps.dim(xShape, 0), GraphOps.dim(xShape, 1),
                xShape.get(SDIndex.point(0)), xShape.get(SDIndex.point(1)), GraphOps.dim(textShape, 1));
        builder.build(new GraphOps(graph, dtype, cfg.layerNormEps()), cfg, in).rename("out");
        this.sd = graph;
    }

    static Denoiser build(DenoiserConfig cfg, Map<String, INDArray> weights, DataType dtype) {
        if (!dtype.isFPType()) {
            throw new IllegalArgumentException("denoiser dtype must be floating point, got " + dtype);
        }
        return switch (cfg.architecture()) {
            case LATTE -> new VideoTransformer(cfg, weights, dtype);
            case SEED -> new SeedTransformer(cfg, weights, dtype);
        };
    }

    /**
     * Checks {@code weights} against the specs (every name present, none extra, exact shapes, floating dtype) and
     * returns copies in {@code dtype}, in spec order.
     */
    static Map<String, INDArray> checkedCopy(DenoiserConfig cfg, List<ParamSpec> specs, Map<String, INDArray> weights,
                                             DataType dtype) {
        Denoiser.requireWeightNames(cfg, weights.keySet());
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (ParamSpec spec : specs) {
            INDArray w = weights.get(spec.name());
            if (!Arrays.equals(w.shape(), spec.shape())) {
                throw new IllegalArgumentException("weight '" + spec.name() + "' has shape " + Arrays.toString(w.shape())
                        + ", expected " + Arrays.toString(spec.shape()) + " for this " + cfg.architecture() + " config");
            }
            if (!w.dataType().isFPType()) {
                throw new IllegalArgumentException("weight '" + spec.name() + "' has dtype " + w.dataType()
                        + ", expected a floating-point type");
            }
            out.put(spec.name(), w.dataType() == dtype ? w.dup('c') : w.castTo(dtype).dup('c'));
        }
        return out;
    }

    @Override
    public DenoiserConfig config() {
        return cfg;
    }

    @Override
    public DataType dataType() {
        return dtype;
    }

    @Override
    public SameDiff sameDiff() {
        return graph();
    }

    @Override
    public List<String> parameterNames() {
        return names;
    }

    @Override
    public Map<String, INDArray> weights() {
        SameDiff graph = graph();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : names) {
            out.put(name, graph.getArrForVarName(name));
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public INDArray forward(INDArray x, INDArray t, INDArray text, INDArray textMask) {
        SameDiff graph = graph();
        checkInputs(x, t, text, textMask);
        Map<String, INDArray> feed = new LinkedHashMap<>();
        feed.put("x", cast(x));
        feed.put("t", cast(t));
        feed.put("text", cast(text));
        feed.put("text_mask", cast(textMask));
        return graph.output(feed, "out").get("out");
    }

    private INDArray cast(INDArray a) {
        return a.dataType() == dtype ? a : a.castTo(dtype);
    }

    /** See {@link DenoiserInputs#check}. */
    void checkInputs(INDArray x, INDArray t, INDArray text, INDArray textMask) {
        DenoiserInputs.check(cfg, x, t, text, textMask);
    }

    private SameDiff graph() {
        if (sd == null) {
            throw new IllegalStateException("denoiser is closed");
        }
        return sd;
    }

    /**
     * SameDiff M2.1 has no close(): release what we can by hand. Parameter arrays (and any the trainer added) are
     * closed so their off-heap buffers go now rather than at the next GC.
     */
    @Override
    public void close() {
        SameDiff graph = sd;
        if (graph == null) {
            return;
        }
        sd = null;
        graph.clearPlaceholders(true);
        graph.clearOpInputs();
        for (SDVariable v : graph.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE
                    || v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.CONSTANT) {
                INDArray arr = v.getArr();
                if (arr != null && arr.closeable()) {
                    arr.close();
                }
            }
        }
    }
}
