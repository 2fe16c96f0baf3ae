package org.baid4j.data.pipeline;

import org.baid4j.data.SaanTransform;
import org.baid4j.data.TinyBaid;
import org.baid4j.weights.TorchCheckpoint;
import org.baid4j.weights.TorchTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The training input equals the reference's training transform (Resize, RandomHorizontalFlip,
 * ToTensor, Normalize) value for value, flipped and not (tools/pytorch/make_transform_fixture.py).
 */
class ReferenceTrainingTransformTest {
    static final Path EXAMPLES = TinyBaid.EXAMPLES;

    @ParameterizedTest
    @CsvSource({"harbour-progressive.jpg,false", "harbour-progressive.jpg,true", "collage-alpha.png,false",
            "collage-alpha.png,true"})
    void trainingTensorsEqualTheReferences(String name, boolean flip) throws Exception {
        Map<?, ?> fixture = (Map<?, ?>) TorchCheckpoint.read(
                Path.of(getClass().getResource("/reference-transform.pt").toURI())).root();
        int size = ((Long) fixture.get("size")).intValue();
        TorchTensor expected = (TorchTensor) fixture.get(name + (flip ? ":flipped" : ":plain"));
        float[] actual = new SaanTransform(size).chw(new FileImages(EXAMPLES, size).resized(name), flip);
        double[] want = expected.toDoubleArray();
        float[] wantFloat = new float[want.length];
        for (int i = 0; i < want.length; i++) {
            wantFloat[i] = (float) want[i];
        }
        assertArrayEquals(wantFloat, actual, 0f, name + (flip ? " flipped" : ""));
    }
}
