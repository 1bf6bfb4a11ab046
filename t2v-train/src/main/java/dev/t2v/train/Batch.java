package dev.t2v.train;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One micro-batch of clean training data.
 *
 * @param latents {@code [B,F,C,h,w]} FLOAT, scaled latents
 * @param text {@code [B,T,D]} FLOAT caption embeddings
 * @param textMask {@code [B,T]} FLOAT 1/0
 */
public record Batch(INDArray latents, INDArray text, INDArray textMask) {
    public Batch {
        if (latents == null || text == null || textMask == null) {
            throw new IllegalArgumentException("latents, text and textMask are required");
        }
        if (latents.rank() != 5 || latents.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("latents must be FLOAT [B,F,C,h,w], got " + latents.dataType() + " "
                    + Arrays.toString(latents.shape()));
        }
        long b = latents.size(0);
        if (text.rank() != 3 || text.dataType() != DataType.FLOAT || text.size(0) != b) {
            throw new IllegalArgumentException("text must be FLOAT [" + b + ",T,D], got " + text.dataType() + " "
                    + Arrays.toString(text.shape()));
        }
        if (textMask.rank() != 2 || textMask.dataType() != DataType.FLOAT || textMask.size(0) != b
                || textMask.size(1) != text.size(1)) {
            throw new IllegalArgumentException("textMask must be FLOAT [" + b + "," + text.size(1) + "], got "
                    + textMask.dataType() + " " + Arrays.toString(textMask.shape()));
        }
    }

    public int size() {
        return (int) latents.size(0);
    }
}
