package dev.t2v.data.encode;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Per-token text embeddings of a batch of prompts.
 *
 * @param embeddings {@code [B,T,D]} FLOAT, one row per token; rows of padding tokens are whatever the model gives
 * @param mask {@code [B,T]} FLOAT, 1 for real tokens (special tokens included) and 0 for padding
 */
public record TextEmbeddings(INDArray embeddings, INDArray mask) {
    public TextEmbeddings {
        if (embeddings == null || mask == null) {
            throw new IllegalArgumentException("embeddings and mask are required");
        }
        if (embeddings.rank() != 3 || embeddings.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("embeddings must be FLOAT [B,T,D], got " + embeddings.dataType() + " "
                    + Arrays.toString(embeddings.shape()));
        }
        if (mask.rank() != 2 || mask.dataType() != DataType.FLOAT || mask.size(0) != embeddings.size(0)
                || mask.size(1) != embeddings.size(1)) {
            throw new IllegalArgumentException("mask must be FLOAT [B,T] = " + Arrays.toString(
                    new long[] {embeddings.size(0), embeddings.size(1)}) + ", got " + mask.dataType() + " "
                    + Arrays.toString(mask.shape()));
        }
    }

    public int batchSize() {
        return (int) embeddings.size(0);
    }

    /** T: the padded token count. */
    public int length() {
        return (int) embeddings.size(1);
    }

    public int dim() {
        return (int) embeddings.size(2);
    }

    /**
     * Row {@code row}'s token count: one past its mask's last 1 (0 for an all-padding row). Both BERT and CLIP styles
     * pad on the right, so the real tokens are this prefix.
     */
    public int tokens(int row) {
        float[] m = mask.getRow(row).toFloatVector();
        int n = 0;
        for (int i = 0; i < m.length; i++) {
            if (m[i] != 0) {
                n = i + 1;
            }
        }
        return n;
    }

    /** Row {@code row} cut to its first {@code tokens} tokens: {@code [1,tokens,D]} and mask {@code [1,tokens]}. */
    public TextEmbeddings row(int row, int tokens) {
        if (tokens < 1 || tokens > length()) {
            throw new IllegalArgumentException("tokens must be in [1, " + length() + "], got " + tokens);
        }
        INDArray e = embeddings.get(NDArrayIndex.point(row), NDArrayIndex.interval(0, tokens), NDArrayIndex.all());
        INDArray m = mask.get(NDArrayIndex.point(row), NDArrayIndex.interval(0, tokens));
        return new TextEmbeddings(e.reshape(1, tokens, dim()).dup('c'), m.reshape(1, tokens).dup('c'));
    }

    /** The mask-weighted mean over tokens, {@code [B,D]}: the usual sentence embedding of BERT-style models. */
    public INDArray meanPooled() {
        INDArray m = mask.reshape(mask.size(0), mask.size(1), 1); // [B,T] -> [B,T,1]
        INDArray sum = embeddings.mul(m).sum(1); // [B,D]
        INDArray count = mask.sum(1).reshape(mask.size(0), 1); // [B,1]
        return sum.diviColumnVector(count);
    }
}
