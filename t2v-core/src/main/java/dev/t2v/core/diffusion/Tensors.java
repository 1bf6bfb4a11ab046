package dev.t2v.core.diffusion;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;

/** Small tensor helpers shared by the schedulers; none of them modifies its arguments. */
final class Tensors {
    private Tensors() {
    }

    /** a·ca[i] + b·cb[i] for each sample i along dimension 0; a and b have the same shape and dtype. */
    static INDArray perSampleCombination(INDArray a, double[] ca, INDArray b, double[] cb) {
        long batch = a.size(0);
        DataType dt = a.dataType();
        // [B,...] -> [B, rest]: scale rows by a column vector of coefficients
        INDArray a2 = a.reshape('c', batch, -1);
        INDArray b2 = b.castTo(dt).reshape('c', batch, -1);
        INDArray out = a2.mulColumnVector(column(ca, dt)).addi(b2.mulColumnVector(column(cb, dt)));
        return out.reshape('c', a.shape());
    }

    /** x·c[i] for each sample i along dimension 0. */
    static INDArray perSampleScale(INDArray x, double[] c) {
        long batch = x.size(0);
        // [B,...] -> [B, rest]
        return x.reshape('c', batch, -1).mulColumnVector(column(c, x.dataType())).reshape('c', x.shape());
    }

    /** ca·a + cb·b as a new array. */
    static INDArray combination(INDArray a, double ca, INDArray b, double cb) {
        return a.mul(ca).addi(b.mul(cb));
    }

    /** Clamps into [−range, range], as a new array. */
    static INDArray clip(INDArray x, double range) {
        return Transforms.min(Transforms.max(x, -range, true), range, false);
    }

    /** Throws unless the model output and the sample have the same shape; returns the output in the sample's dtype. */
    static INDArray checkStepInputs(INDArray modelOutput, INDArray sample) {
        if (modelOutput == null || sample == null) {
            throw new IllegalArgumentException("modelOutput and sample must not be null");
        }
        if (!Arrays.equals(modelOutput.shape(), sample.shape())) {
            throw new IllegalArgumentException("model output shape " + Arrays.toString(modelOutput.shape())
                    + " differs from sample shape " + Arrays.toString(sample.shape()));
        }
        if (!sample.dataType().isFPType()) {
            throw new IllegalArgumentException("sample must be a floating-point array, got " + sample.dataType());
        }
        return modelOutput.castTo(sample.dataType());
    }

    private static INDArray column(double[] c, DataType dt) {
        // [B] -> [B,1]
        return Nd4j.create(c, new long[] {c.length, 1}, DataType.DOUBLE).castTo(dt);
    }
}
