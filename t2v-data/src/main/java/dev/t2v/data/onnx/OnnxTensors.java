package dev.t2v.data.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Conversions between ND4J arrays and ONNX Runtime tensors. Tensors returned here must be closed by the caller. */
public final class OnnxTensors {
    private OnnxTensors() {
    }

    /** A FLOAT tensor holding a copy of {@code array} (cast to FLOAT if needed). */
    public static OnnxTensor floats(OrtEnvironment env, INDArray array) {
        INDArray c = array.castTo(DataType.FLOAT).dup('c'); // a fresh row-major buffer
        float[] data = c.data().asFloat();
        int n = (int) array.length();
        return floats(env, data.length == n ? data : java.util.Arrays.copyOf(data, n), array.shape());
    }

    /** A FLOAT tensor of the given shape over {@code data} (row-major). */
    public static OnnxTensor floats(OrtEnvironment env, float[] data, long... shape) {
        try {
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create a FLOAT tensor: " + e.getMessage(), e);
        }
    }

    /** An INT64 tensor of the given shape over {@code data} (row-major). */
    public static OnnxTensor longs(OrtEnvironment env, long[] data, long... shape) {
        try {
            return OnnxTensor.createTensor(env, LongBuffer.wrap(data), shape);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create an INT64 tensor: " + e.getMessage(), e);
        }
    }

    /** An INT32 tensor of the given shape over {@code data} (row-major). */
    public static OnnxTensor ints(OrtEnvironment env, int[] data, long... shape) {
        try {
            return OnnxTensor.createTensor(env, IntBuffer.wrap(data), shape);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create an INT32 tensor: " + e.getMessage(), e);
        }
    }

    /** An integer tensor of {@code type} (INT64 or INT32) over {@code data}, for id and mask inputs. */
    public static OnnxTensor integers(OrtEnvironment env, OnnxJavaType type, long[] data, long... shape) {
        if (type == OnnxJavaType.INT64) {
            return longs(env, data, shape);
        }
        if (type == OnnxJavaType.INT32) {
            int[] narrow = new int[data.length];
            for (int i = 0; i < data.length; i++) {
                narrow[i] = Math.toIntExact(data[i]);
            }
            return ints(env, narrow, shape);
        }
        throw new IllegalArgumentException("integer tensors are INT64 or INT32, not " + type);
    }

    /** A FLOAT output tensor as a FLOAT INDArray of the same shape. */
    public static INDArray toArray(OnnxValue value) {
        if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
            throw new IllegalArgumentException("expected a FLOAT tensor, got " + value.getInfo());
        }
        TensorInfo info = tensor.getInfo();
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] data = new float[buffer.remaining()];
        buffer.get(data);
        return Nd4j.create(data, info.getShape(), DataType.FLOAT);
    }
}
