package org.baid4j.weights;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;


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
}
