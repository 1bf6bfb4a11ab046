package dev.t2v.train.dataset;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of clips for the denoiser.
 *
 * @param latents {@code [B,F,C,h,w]} FLOAT, scaled latents
 * @param text {@code [B,T,D]} FLOAT, one caption per clip, zero rows where the mask is 0
 * @param textMask {@code [B,T]} FLOAT, 1 for real tokens, 0 for padding
 * @param clipIds the clips' ids, in batch order
 */
public record TrainingBatch(INDArray latents, INDArray text, INDArray textMask, List<String> clipIds) {
    public TrainingBatch {
        if (latents == null || text == null || textMask == null || clipIds == null) {
            throw new IllegalArgumentException("latents, text, textMask and clipIds are required");
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
        clipIds = List.copyOf(clipIds);
        if (clipIds.size() != b) {
            throw new IllegalArgumentException("expected " + b + " clip ids, got " + clipIds.size());
        }
    }

    public int size() {
        return (int) latents.size(0);
    }
}
