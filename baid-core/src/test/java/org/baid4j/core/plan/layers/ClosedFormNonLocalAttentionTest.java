package org.baid4j.core.plan.layers;

import org.baid4j.core.layers.NonLocalAttention;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The attention's closed-form inference against its SameDiff definition, on SAAN's shapes at 64 px
 * (a 4x4 query map, 2x2 keys) and at 224 px (14x14, 7x7) with a batch of three: within float
 * rounding. The training forward pass is SameDiff's own.
 */
class ClosedFormNonLocalAttentionTest {

    @Test
    void inferenceInClosedFormEqualsTheSameDiffVertex() {
        for (int side : new int[]{4, 14}) {
            ComputationGraph sameDiff = graph(side, NonLocalAttention::new);
            ComputationGraph closed = graph(side, ClosedFormNonLocalAttention::new);
            Nd4j.getRandom().setSeed(side);
            INDArray theta = Nd4j.randn(DataType.FLOAT, 3, 96, side, side);
            INDArray phi = Nd4j.randn(DataType.FLOAT, 3, 96, side / 2, side / 2);
            INDArray g = Nd4j.randn(DataType.FLOAT, 3, 96, side / 2, side / 2);
            INDArray expected = sameDiff.output(false, theta, phi, g)[0];
            INDArray actual = closed.output(false, theta, phi, g)[0];
            double scale = expected.amaxNumber().doubleValue();
            assertTrue(scale > 0.1);
            assertEquals(0, actual.sub(expected).amaxNumber().doubleValue() / scale, 1e-6, "side " + side);
            assertInstanceOf(ClosedFormNonLocalAttention.Vertex.class, closed.getVertex("attention"));
            assertEquals(expected, closed.feedForward(new INDArray[]{theta, phi, g}, true, false).get("attention"));
        }
    }

    private static ComputationGraph graph(int side, Supplier<NonLocalAttention> vertex) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).graphBuilder()
                .addInputs("theta", "phi", "g")
                .setInputTypes(InputType.convolutional(side, side, 96), InputType.convolutional(side / 2, side / 2, 96),
                        InputType.convolutional(side / 2, side / 2, 96))
                .addVertex("attention", vertex.get(), "theta", "phi", "g")
                .setOutputs("attention").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
