package org.baid4j.testkit;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Comparisons of arrays against the reference's, shared by every module's parity tests. */
public final class NumericAssertions {
    private NumericAssertions() {
    }

    /** max |actual - expected| <= tolerance * max(|expected|, 1e-3): relative to the tensor's scale. */
    public static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertClose(expected, actual, tolerance, 1e-3, what);
    }

    /**
     * As above with a floor on the scale: gradients that are zero in exact arithmetic (a bias
     * before a softmax-invariant shift or a training-mode BN) are compared relative to the block's
     * largest gradient, since both frameworks leave rounding noise there.
     */
    public static void assertClose(INDArray expected, INDArray actual, double tolerance, double scaleFloor, String what) {
        assertNotNull(actual, what + ": missing");
        assertTrue(Arrays.equals(expected.shape(), actual.shape()) || expected.length() == actual.length(),
                what + ": shape " + Arrays.toString(actual.shape()) + " vs " + Arrays.toString(expected.shape()));
        INDArray e = expected.reshape(actual.shape()).castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        double scale = Math.max(e.amaxNumber().doubleValue(), scaleFloor);
        double diff = a.sub(e).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance * scale, String.format("%s: max difference %.3g, relative %.3g > %.1g",
                what, diff, diff / scale, tolerance));
    }
}
