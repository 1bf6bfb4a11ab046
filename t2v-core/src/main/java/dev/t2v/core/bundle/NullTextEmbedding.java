package dev.t2v.core.bundle;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The empty prompt's text embedding, the null condition of classifier-free guidance, as stored in a bundle's
 * {@code null_text.safetensors}.
 *
 * @param embedding {@code [T0,D]} FLOAT
 * @param mask {@code [T0]} FLOAT 1/0
 */
public record NullTextEmbedding(INDArray embedding, INDArray mask) {
    public NullTextEmbedding {
        if (embedding == null || mask == null) {
            throw new IllegalArgumentException("null text embedding and mask are required");
        }
        if (embedding.rank() != 2 || embedding.dataType() != DataType.FLOAT || embedding.size(0) < 1) {
            throw new IllegalArgumentException("null text embedding must be FLOAT [T0,D] with T0 >= 1, got "
                    + embedding.dataType() + " " + Arrays.toString(embedding.shape()));
        }
        if (mask.rank() != 1 || mask.dataType() != DataType.FLOAT || mask.size(0) != embedding.size(0)) {
            throw new IllegalArgumentException("null text mask must be FLOAT [" + embedding.size(0) + "], got "
                    + mask.dataType() + " " + Arrays.toString(mask.shape()));
        }
    }

    public int tokens() {
        return (int) embedding.size(0);
    }

    public int dim() {
        return (int) embedding.size(1);
    }

    /**
     * The embedding cut or zero-padded to {@code textTokens} rows, {@code [T,D]}, with its mask {@code [T]} to match
     * (padding rows masked out): the shape of one batch row.
     */
    public NullTextEmbedding padded(int textTokens) {
        if (textTokens < 1) {
            throw new IllegalArgumentException("textTokens must be >= 1, got " + textTokens);
        }
        int d = dim();
        int keep = Math.min(textTokens, tokens());
        float[] src = embedding.dup('c').data().asFloat();
        float[] srcMask = mask.dup('c').data().asFloat();
        float[] e = new float[textTokens * d];
        float[] m = new float[textTokens];
        System.arraycopy(src, 0, e, 0, keep * d);
        System.arraycopy(srcMask, 0, m, 0, keep);
        return new NullTextEmbedding(Nd4j.create(e, new long[] {textTokens, d}, 'c'),
                Nd4j.create(m, new long[] {textTokens}, 'c'));
    }
}
