package dev.t2v.train;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * AdamW (Loshchilov &amp; Hutter 2019) over named INDArrays, with PyTorch's update order: decoupled weight decay
 * {@code p ← p·(1 − lr·wd)}, then {@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²} and
 * {@code p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)}. ND4J has no AdamW; this is it, written out so the
 * trainer controls accumulation and clipping and can save the moments.
 *
 * <p>Weight decay applies to matrices and convolution kernels only: biases, LayerNorm gains/offsets (all rank 1) and
 * learned position embeddings are not decayed, as is usual for transformers (decaying a norm's gain towards 0 or a
 * position table towards uniform is not regularisation).
 */
public final class AdamW {

    /** The optimiser's constants. */
    public record Hyper(double beta1, double beta2, double epsilon, double weightDecay) {
        public Hyper {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            if (!(epsilon > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("epsilon must be > 0 and weight decay >= 0, got " + epsilon + ", "
                        + weightDecay);
            }
        }

        public static Hyper of(TrainingConfig cfg) {
            return new Hyper(cfg.adamBeta1(), cfg.adamBeta2(), cfg.adamEpsilon(), cfg.weightDecay());
        }
    }

    private final Hyper hyper;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    /** Scratch for each parameter's update, reused every step. */
    private final Map<String, INDArray> update = new LinkedHashMap<>();
    private final Set<String> decayed = new TreeSet<>();

    /** Zero moments for every parameter. */
    public AdamW(Hyper hyper, Map<String, INDArray> params) {
        this.hyper = hyper;
        params.forEach((name, p) -> {
            m.put(name, Nd4j.zeros(p.dataType(), p.shape()));
            v.put(name, Nd4j.zeros(p.dataType(), p.shape()));
            update.put(name, Nd4j.zeros(p.dataType(), p.shape()));
            if (decays(name, p.shape())) {
                decayed.add(name);
            }
        });
    }

    /** Whether a parameter gets weight decay: rank ≥ 2, and not a position embedding. */
    public static boolean decays(String name, long[] shape) {
        return shape.length >= 2 && !name.endsWith("pos_embed");
    }

    /** The parameters that get weight decay. */
    public Set<String> decayed() {
        return Collections.unmodifiableSet(decayed);
    }

    /**
     * One update of every parameter in place.
     *
     * @param t the 1-based count of updates including this one (bias correction)
     */
    public void step(Map<String, INDArray> params, Map<String, INDArray> grads, double lr, long t) {
        if (t < 1) {
            throw new IllegalArgumentException("update count t must be >= 1, got " + t);
        }
        double b2 = hyper.beta2();
        // libnd4j's adam_updater computes u = m·lr·√(1−β2ᵗ)/(1−β1ᵗ) / (√v + ε'): with ε' = ε·√(1−β2ᵗ) that is
        // PyTorch's lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε). One native op per tensor updates m and v in place and writes
        // u into a preallocated buffer, where the loop of element-wise ops it replaces made four temporaries.
        double epsilon = hyper.epsilon() * Math.sqrt(1 - Math.pow(b2, t));
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String name = e.getKey();
            INDArray p = e.getValue();
            INDArray g = grads.get(name);
            INDArray mi = m.get(name);
            INDArray vi = v.get(name);
            if (g == null || mi == null) {
                throw new IllegalArgumentException("no gradient or moments for parameter '" + name + "'");
            }
            if (decayed.contains(name) && hyper.weightDecay() > 0) {
                p.muli(1 - lr * hyper.weightDecay());
            }
            INDArray u = update.get(name);
            Nd4j.exec(new AdamUpdater(g, vi, mi, u, vi, mi, lr, hyper.beta1(), b2, epsilon, (int) (t - 1)));
            // At lr 0 the op falls back to ε as its step size; PyTorch leaves p alone (but still moves the moments).
            if (lr != 0) {
                p.subi(u);
            }
        }
    }

    /** The moments as {@code m/<param>} and {@code v/<param>}: live arrays, for saving. */
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        m.forEach((k, a) -> out.put("m/" + k, a));
        v.forEach((k, a) -> out.put("v/" + k, a));
        return out;
    }

    /** Copies saved moments (as from {@link #state()}) in; every parameter's pair must be present with its shape. */
    public void load(Map<String, INDArray> state) {
        if (state.size() != m.size() + v.size()) {
            throw new IllegalArgumentException("optimizer state has " + state.size() + " tensors, expected "
                    + (m.size() + v.size()) + " (m/ and v/ for each parameter)");
        }
        for (Map<String, INDArray> moments : java.util.List.of(m, v)) {
            String prefix = moments == m ? "m/" : "v/";
            for (Map.Entry<String, INDArray> e : moments.entrySet()) {
                INDArray saved = state.get(prefix + e.getKey());
                if (saved == null || !Arrays.equals(saved.shape(), e.getValue().shape())) {
                    throw new IllegalArgumentException("optimizer state '" + prefix + e.getKey() + "' is "
                            + (saved == null ? "missing" : "shaped " + Arrays.toString(saved.shape())) + ", expected "
                            + Arrays.toString(e.getValue().shape()));
                }
                e.getValue().assign(saved.castTo(e.getValue().dataType()));
            }
        }
    }
}
