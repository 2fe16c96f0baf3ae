package org.baid4j.weights;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A committed PyTorch fixture (tools/pytorch/make_block_fixtures.py), read with the project's own reader. */
final class Fixture {
    final Path file;
    private final Map<?, ?> root;

    private Fixture(Path file, Map<?, ?> root) {
        this.file = file;
        this.root = root;
    }

    static Fixture load(String name) throws IOException {
        try {
            Path file = Path.of(Fixture.class.getResource("/fixtures/" + name).toURI());
            return new Fixture(file, (Map<?, ?>) TorchCheckpoint.read(file).root());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /** The tensor at a path of dict keys, as a float ND4J array. */
    INDArray array(String... path) {
        Object o = root;
        for (String key : path) {
            o = ((Map<?, ?>) o).get(key);
            if (o == null) {
                throw new IllegalArgumentException(file.getFileName() + ": no " + String.join("/", path));
            }
        }
        return ((TorchTensor) o).toINDArray();
    }

    Map<String, TorchTensor> tensors(String... path) {
        Object o = root;
        for (String key : path) {
            o = ((Map<?, ?>) o).get(key);
        }
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        ((Map<?, ?>) o).forEach((k, v) -> out.put((String) k, (TorchTensor) v));
        return out;
    }

    /** max |actual - expected| <= tolerance * max(|expected|, 1e-3): relative to the tensor's scale. */
    static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
        assertClose(expected, actual, tolerance, 1e-3, what);
    }

    /**
     * As above with a floor on the scale: gradients that are zero in exact arithmetic (a bias
     * before a softmax-invariant shift or a training-mode BN) are compared relative to the block's
     * largest gradient, since both frameworks leave rounding noise there.
     */
    static void assertClose(INDArray expected, INDArray actual, double tolerance, double scaleFloor, String what) {
        assertTrue(java.util.Arrays.equals(expected.shape(), actual.shape()) || expected.length() == actual.length(),
                what + ": shape " + java.util.Arrays.toString(actual.shape()) + " vs "
                        + java.util.Arrays.toString(expected.shape()));
        INDArray e = expected.reshape(actual.shape()).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        INDArray a = actual.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        double scale = Math.max(e.amaxNumber().doubleValue(), scaleFloor);
        double diff = a.sub(e).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance * scale, String.format("%s: max difference %.3g, relative %.3g > %.1g",
                what, diff, diff / scale, tolerance));
    }
}
