package dev.t2v.train.codec;

import dev.t2v.train.codec.CodecArchitecture.ConvSpec;
import dev.t2v.train.codec.CodecNetwork.Sized;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The demo codec's weights and its SameDiff graphs.
 *
 * <p>The trainable graph ({@link #trainingGraph}) maps {@value #FRAMES} {@code [B,3,S,S]} to {@value #LATENT}
 * {@code [B,C,S/d,S/d]}; the decoder reads {@code latent + }{@value #LATENT_NOISE} (noise injected during training so
 * that nearby latents decode to nearby frames) and gives {@value #RECON}. Its shapes are static (see
 * {@link CodecNetwork}), so {@link #encode} and {@link #decode} run graphs built for their input's shape.
 *
 * <p>Owns its graphs; SameDiff M2.1 has no close, so {@link #close()} drops them and later calls throw.
 */
public final class CodecModel implements AutoCloseable {
    public static final String FRAMES = "frames";
    public static final String LATENT_NOISE = "latent_noise";
    public static final String LATENT = "latent";
    public static final String RECON = "recon";

    private final CodecArchitecture arch;
    /** Parameters in graph layout while no training graph exists; afterwards the graph's variables are the truth. */
    private Map<String, INDArray> params;
    private SameDiff training;
    private boolean closed;

    private CodecModel(CodecArchitecture arch, Map<String, INDArray> weights) {
        CodecNetwork.checkWeights(arch, weights);
        this.arch = arch;
        this.params = new LinkedHashMap<>();
        for (String name : parameterNames(arch)) {
            params.put(name, CodecNetwork.toGraphLayout(weights.get(name)));
        }
    }

    /** A freshly initialised codec; the same seed gives the same weights. */
    public static CodecModel create(CodecArchitecture arch, long seed) {
        return new CodecModel(arch, CodecNetwork.initialWeights(arch, seed));
    }

    /** A codec with the given weights ({@code [out,in,kH,kW]} convs, {@code [out]} biases), e.g. from {@link #weights()}. */
    public static CodecModel fromWeights(CodecArchitecture arch, Map<String, INDArray> weights) {
        return new CodecModel(arch, weights);
    }

    public CodecArchitecture architecture() {
        return arch;
    }

    /** Parameter names: the encoder's, then the decoder's, each weight before its bias. */
    public List<String> parameterNames() {
        return parameterNames(arch);
    }

    private static List<String> parameterNames(CodecArchitecture arch) {
        List<String> names = new ArrayList<>();
        for (List<ConvSpec> layers : List.of(arch.encoderLayers(), arch.decoderLayers())) {
            for (ConvSpec c : layers) {
                names.add(c.weight());
                names.add(c.bias());
            }
        }
        return names;
    }

    /** Copies of the current weights, convs as {@code [out,in,kH,kW]}. */
    public Map<String, INDArray> weights() {
        Map<String, INDArray> current = current();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (List<ConvSpec> layers : List.of(arch.encoderLayers(), arch.decoderLayers())) {
            for (ConvSpec c : layers) {
                out.put(c.weight(), CodecNetwork.fromGraphLayout(current.get(c.weight()), c, true));
                out.put(c.bias(), CodecNetwork.fromGraphLayout(current.get(c.bias()), c, false));
            }
        }
        return out;
    }

    /** The parameters in graph layout, live. */
    private Map<String, INDArray> current() {
        if (closed) {
            throw new IllegalStateException("the codec model is closed");
        }
        if (training == null) {
            return params;
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        for (String name : parameterNames()) {
            m.put(name, training.getVariable(name).getArr());
        }
        return m;
    }

    /**
     * The trainable graph for batches of {@code batch} crops of {@code crop x crop}, built on first call from the
     * current weights; its variables are the model's weights from then on. The trainer adds its losses to it.
     */
    SameDiff trainingGraph(int batch, int crop) {
        if (closed) {
            throw new IllegalStateException("the codec model is closed");
        }
        if (training != null) {
            throw new IllegalStateException("this codec model already has a training graph; train a new model made "
                    + "from its weights");
        }
        int d = arch.downsample();
        if (crop % d != 0) {
            throw new IllegalArgumentException("crop " + crop + " must be a multiple of " + d);
        }
        SameDiff g = SameDiff.create();
        SDVariable x = g.placeHolder(FRAMES, DataType.FLOAT, batch, 3, crop, crop);
        SDVariable noise = g.placeHolder(LATENT_NOISE, DataType.FLOAT, batch, arch.latentChannels(), crop / d, crop / d);
        Map<String, SDVariable> vars = new LinkedHashMap<>();
        params.forEach((name, p) -> vars.put(name, g.var(name, p.dup('c'))));
        Sized z = CodecNetwork.encoder(g, arch, new Sized(x, batch, 3, crop, crop), vars::get);
        g.updateVariableNameAndReference(z.v(), LATENT);
        Sized noisy = new Sized(z.v().add(noise), batch, z.channels(), z.height(), z.width());
        Sized recon = CodecNetwork.decoder(g, arch, noisy, vars::get);
        g.updateVariableNameAndReference(recon.v(), RECON);
        this.training = g;
        this.params = null;
        return g;
    }

    /** Frames {@code [N,3,H,W]} in [-1, 1] (H, W multiples of d) to raw latents {@code [N,C,H/d,W/d]} (unscaled). */
    public INDArray encode(INDArray frames) {
        int d = arch.downsample();
        if (frames.rank() != 4 || frames.size(1) != 3 || frames.size(2) % d != 0 || frames.size(3) % d != 0) {
            throw new IllegalArgumentException("frames must be [N,3,H,W] with H and W multiples of " + d + ", got "
                    + Arrays.toString(frames.shape()));
        }
        return run(frames, true);
    }

    /** Raw latents {@code [N,C,h,w]} to frames {@code [N,3,h*d,w*d]}. */
    public INDArray decode(INDArray latents) {
        if (latents.rank() != 4 || latents.size(1) != arch.latentChannels()) {
            throw new IllegalArgumentException("latents must be [N," + arch.latentChannels() + ",h,w], got "
                    + Arrays.toString(latents.shape()));
        }
        return run(latents, false);
    }

    /** Runs the encoder or decoder in a throwaway graph built for {@code input}'s shape, with the current weights. */
    private INDArray run(INDArray input, boolean encoder) {
        Map<String, INDArray> current = current();
        SameDiff g = SameDiff.create();
        int n = (int) input.size(0);
        int c = (int) input.size(1);
        int h = (int) input.size(2);
        int w = (int) input.size(3);
        SDVariable in = g.placeHolder("in", DataType.FLOAT, n, c, h, w);
        Sized sized = new Sized(in, n, c, h, w);
        java.util.function.Function<String, SDVariable> param =
                name -> g.hasVariable(name) ? g.getVariable(name) : g.constant(name, current.get(name).dup('c'));
        Sized out = encoder ? CodecNetwork.encoder(g, arch, sized, param) : CodecNetwork.decoder(g, arch, sized, param);
        return g.outputSingle(Map.of("in", input.castTo(DataType.FLOAT)), out.v().name());
    }

    @Override
    public void close() {
        closed = true;
        training = null;
        params = null;
    }
}
