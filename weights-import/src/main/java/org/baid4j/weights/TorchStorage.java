package org.baid4j.weights;

import java.nio.ByteBuffer;

/** One storage of a checkpoint: raw elements of one type, shared by the tensors that view it. */
public final class TorchStorage {
    private final TorchDType dtype;
    private final String key;
    private final long elements;
    private final ByteBuffer data;

    TorchStorage(TorchDType dtype, String key, long elements, ByteBuffer data) {
        this.dtype = dtype;
        this.key = key;
        this.elements = elements;
        this.data = data;
    }

    public TorchDType dtype() {
        return dtype;
    }

    public String key() {
        return key;
    }

    public long elements() {
        return elements;
    }

    /** Element {@code index} as a double (bfloat16 and float16 widened exactly). */
    double get(long index) {
        int at = Math.toIntExact(index * dtype.bytes());
        switch (dtype) {
            case FLOAT32:
                return data.getFloat(at);
            case FLOAT64:
                return data.getDouble(at);
            case FLOAT16:
                return halfToFloat(data.getShort(at));
            case BFLOAT16:
                return Float.intBitsToFloat((data.getShort(at) & 0xFFFF) << 16);
            case INT64:
                return data.getLong(at);
            case INT32:
                return data.getInt(at);
            case INT16:
                return data.getShort(at);
            case INT8:
                return data.get(at);
            case UINT8:
            case BOOL:
                return data.get(at) & 0xFF;
            default:
                throw new IllegalStateException(dtype.toString());
        }
    }

    long getLong(long index) {
        int at = Math.toIntExact(index * dtype.bytes());
        switch (dtype) {
            case INT64:
                return data.getLong(at);
            case INT32:
                return data.getInt(at);
            default:
                return (long) get(index);
        }
    }

    /** IEEE 754 binary16 to binary32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa / 1024f / 16384f;   // subnormal: m * 2^-24
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
