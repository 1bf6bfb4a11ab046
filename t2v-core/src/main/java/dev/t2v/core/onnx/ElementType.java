package dev.t2v.core.onnx;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * ONNX tensor element types that the writer and the runtime helpers use, with their {@code TensorProto.DataType} codes
 * and the matching ND4J data type.
 */
public enum ElementType {
    FLOAT(1, DataType.FLOAT),
    UINT8(2, DataType.UBYTE),
    INT8(3, DataType.BYTE),
    INT32(6, DataType.INT),
    INT64(7, DataType.LONG),
    BOOL(9, DataType.BOOL),
    FLOAT16(10, DataType.HALF),
    DOUBLE(11, DataType.DOUBLE),
    BFLOAT16(16, DataType.BFLOAT16);

    private final int code;
    private final DataType nd4j;

    ElementType(int code, DataType nd4j) {
        this.code = code;
        this.nd4j = nd4j;
    }

    /** The {@code onnx.TensorProto.DataType} number. */
    public int code() {
        return code;
    }

    /** The ND4J data type with the same element layout. */
    public DataType nd4j() {
        return nd4j;
    }

    /** The element type for an ND4J data type; throws for types ONNX initializers here do not support. */
    public static ElementType of(DataType type) {
        for (ElementType e : values()) {
            if (e.nd4j == type) {
                return e;
            }
        }
        throw new IllegalArgumentException("no ONNX element type for ND4J data type " + type);
    }
}
