package dev.t2v.core.diffusion;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * One denoising step's result.
 *
 * @param prevSample          the sample at the previous (less noisy) timestep, same shape and dtype as the input
 * @param predOriginalSample  the step's estimate of the clean sample x₀, for previews
 */
public record StepOutput(INDArray prevSample, INDArray predOriginalSample) {
    public StepOutput {
        Objects.requireNonNull(prevSample, "prevSample");
        Objects.requireNonNull(predOriginalSample, "predOriginalSample");
    }
}
