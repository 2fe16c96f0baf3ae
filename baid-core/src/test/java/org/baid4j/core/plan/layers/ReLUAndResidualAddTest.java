package org.baid4j.core.plan.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link ReLU} and {@link ResidualAdd} compute exactly what DL4J's activation layer and
 * element-wise add compute, forward (inference and training) and backward, in a block shaped
 * like a ResNet's: conv, ReLU, conv, add the block's input, ReLU.
 */
class ReLUAndResidualAddTest {

    @Test
    void sameOutputsAndGradientsAsDl4jsLayers() {
        ComputationGraph dl4j = block(() -> new ActivationLayer(Activation.RELU), () -> new ElementWiseVertex(ElementWiseVertex.Op.Add));
        ComputationGraph ours = block(ReLU::new, ResidualAdd::new);
        ours.setParams(dl4j.params().dup());
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 4, 6, 6);
        INDArray y = Nd4j.randn(DataType.FLOAT, 2, 4, 6, 6);

        assertEquals(dl4j.outputSingle(false, x), ours.outputSingle(false, x), "inference");
        assertTrue(ours.outputSingle(false, x).minNumber().doubleValue() >= 0);
        assertTrue(ours.outputSingle(false, x).maxNumber().doubleValue() > 0);
        DataSet batch = new DataSet(x, y);
        for (int step = 0; step < 2; step++) {
            dl4j.fit(batch);
            ours.fit(batch);
            assertEquals(dl4j.gradient().gradient(), ours.gradient().gradient(), "gradients at step " + step);
            assertEquals(dl4j.params(), ours.params(), "parameters after step " + step);
        }
        assertNotEquals(0, ours.gradient().gradient().norm2Number().doubleValue());
        // The first ReLU's input gradient reached the first convolution.
        assertNotEquals(0, ours.getLayer("conv1").getGradientsViewArray().norm2Number().doubleValue());
    }

    private static ComputationGraph block(Supplier<Layer> relu, Supplier<GraphVertex> add) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1))
                .dataType(DataType.FLOAT).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(6, 6, 4))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(4)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("relu1", relu.get(), "conv1")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(4)
                        .activation(Activation.IDENTITY).build(), "relu1")
                .addVertex("add", add.get(), "conv2", "in")
                .addLayer("relu2", relu.get(), "add")
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), "relu2")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }
}
