package org.baid4j.weights;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} defines it: a view into a storage with an
 * element offset, a shape and strides (so slices and transposes saved as views read correctly).
 */
public final class TorchTensor {
    private final TorchStorage storage;
    private final long offset;
    private final long[] shape;
    private final long[] strides;

    TorchTensor(TorchStorage storage, long offset, long[] shape, long[] strides) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    public TorchDType dtype() {
        return storage.dtype();
    }

    public long[] shape() {
        return shape.clone();
    }

    public long numel() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** Last element the view reaches, to check it lies inside its storage. */
    long lastElement() {
        long last = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) {
                return offset - 1;
            }
            last += (shape[i] - 1) * strides[i];
        }
        return last;
    }

    TorchStorage storage() {
        return storage;
    }

    /** The elements in row-major (C) order, widened to double. */
    public double[] toDoubleArray() {
        int n = Math.toIntExact(numel());
        double[] out = new double[n];
        long[] index = new long[shape.length];
        for (int i = 0; i < n; i++) {
            long at = offset;
            for (int d = 0; d < shape.length; d++) {
                at += index[d] * strides[d];
            }
            out[i] = storage.get(at);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return out;
    }

    /** An ND4J array of the same shape (C order): float64 for a float64 tensor, else float32. */
    public INDArray toINDArray() {
        double[] values = toDoubleArray();
        if (dtype() == TorchDType.FLOAT64) {
            // Float64 fixtures stay float64 (the pretraining step's parity is measured without float noise).
            return shape.length == 0 ? Nd4j.scalar(values[0]) : Nd4j.create(values, shape, DataType.DOUBLE);
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        if (shape.length == 0) {
            return Nd4j.scalar(floats[0]);
        }
        return Nd4j.create(floats, shape, DataType.FLOAT);
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() of a tensor of shape " + Arrays.toString(shape));
        }
        return storage.get(offset);
    }

    @Override
    public String toString() {
        return "tensor(" + dtype() + ", " + Arrays.toString(shape) + ")";
    }
}
