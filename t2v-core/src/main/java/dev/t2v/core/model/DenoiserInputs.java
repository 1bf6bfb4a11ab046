package dev.t2v.core.model;

import dev.t2v.core.config.DenoiserConfig;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/** The input contract every denoiser runtime (SameDiff, ONNX Runtime) checks before it runs. */
public final class DenoiserInputs {
    private DenoiserInputs() {
    }

    /**
     * Checks the arguments of a denoiser forward pass against {@code cfg}: x [B,F,C,h,w], t [B], text [B,T,D] with
     * 1 <= T <= max text tokens, text_mask [B,T], all floating point.
     *
     * @throws IllegalArgumentException naming the argument, the expected shape and the one given
     */
    public static void check(DenoiserConfig cfg, INDArray x, INDArray t, INDArray text, INDArray textMask) {
        int c = cfg.latentChannels(), s = cfg.latentSize();
        if (x == null || x.rank() != 5 || x.size(2) != c || x.size(3) != s || x.size(4) != s || x.size(0) < 1
                || x.size(1) < 1) {
            throw new IllegalArgumentException("x must be [B,F," + c + "," + s + "," + s + "] with B, F >= 1, got "
                    + (x == null ? "null" : Arrays.toString(x.shape())));
        }
        long b = x.size(0);
        if (t == null || t.rank() != 1 || t.size(0) != b) {
            throw new IllegalArgumentException("t must be [" + b + "] (one timestep per sample), got "
                    + (t == null ? "null" : Arrays.toString(t.shape())));
        }
        if (text == null || text.rank() != 3 || text.size(0) != b || text.size(2) != cfg.textDim()
                || text.size(1) < 1 || text.size(1) > cfg.maxTextTokens()) {
            throw new IllegalArgumentException("text must be [" + b + ",T," + cfg.textDim() + "] with 1 <= T <= "
                    + cfg.maxTextTokens() + ", got " + (text == null ? "null" : Arrays.toString(text.shape())));
        }
        if (textMask == null || textMask.rank() != 2 || textMask.size(0) != b || textMask.size(1) != text.size(1)) {
            throw new IllegalArgumentException("text_mask must be [" + b + "," + text.size(1) + "], got "
                    + (textMask == null ? "null" : Arrays.toString(textMask.shape())));
        }
        if (!x.dataType().isFPType() || !t.dataType().isFPType() || !text.dataType().isFPType()
                || !textMask.dataType().isFPType()) {
            throw new IllegalArgumentException("x, t, text and text_mask must be floating point (mask as 1/0)");
        }
    }
}
