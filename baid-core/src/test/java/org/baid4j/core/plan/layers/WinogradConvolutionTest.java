package org.baid4j.core.plan.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link WinogradConvolution} against the direct convolution: a frozen VGG-like pair (bias and
 * ReLU, then no bias and no activation), 32 -> 48 -> 64 channels, in inference and in a
 * training-mode forward pass. Both are compared with DL4J's convolution in double precision: the
 * Winograd output must be as close to it as float rounding allows (within 10x the direct float
 * convolution's error, and 1e-5 of the output's scale), and the layer with three input channels,
 * which Winograd does not take, must give the direct convolution's output bit for bit. All of it
 * twice, with new parameters the second time, which the layer's kept transform must pick up.
 */
class WinogradConvolutionTest {

    @Test
    void matchesTheDirectConvolution() {
        ComputationGraph direct = graph(DataType.FLOAT, ChannelsLastConvolution::new);
        ComputationGraph winograd = graph(DataType.FLOAT, WinogradConvolution::new);
        ComputationGraph exact = graph(DataType.DOUBLE, b -> b.dataFormat(CNN2DFormat.NHWC).build());
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 6, 20, 20, 3);   // one chunk of four images and a tail of two
        assertInstanceOf(WinogradConvolutionLayer.class, ((org.deeplearning4j.nn.layers.FrozenLayer) winograd.getLayer("b")).getInsideLayer());

        // A second set of parameters, written into the same arrays: the kept transform must follow.
        for (int parameters = 0; parameters < 2; parameters++) {
            INDArray params = Nd4j.randn(DataType.DOUBLE, direct.params().shape()).muli(0.1);
            direct.setParams(params.castTo(DataType.FLOAT));
            winograd.setParams(params.castTo(DataType.FLOAT));
            exact.setParams(params);
            for (boolean training : new boolean[]{false, true}) {
                INDArray reference = exact.feedForward(x, training).get("c");
                INDArray fast = winograd.feedForward(x.castTo(DataType.FLOAT), training).get("c");
                INDArray plain = direct.feedForward(x.castTo(DataType.FLOAT), training).get("c");
                double scale = reference.amaxNumber().doubleValue();
                double error = maxError(fast, reference) / scale;
                double directError = maxError(plain, reference) / scale;
                assertTrue(error <= Math.max(10 * directError, 1e-6) && error < 1e-5,
                        "training=" + training + ": Winograd " + error + " off, direct " + directError);
                assertNotEquals(0.0, maxError(fast, plain.castTo(DataType.DOUBLE)), "the Winograd path did not run");
                // Three input channels: the direct convolution itself. (INDArray.equals allows 1e-5.)
                assertEquals(0.0, maxError(winograd.feedForward(x.castTo(DataType.FLOAT), training).get("a"),
                        direct.feedForward(x.castTo(DataType.FLOAT), training).get("a").castTo(DataType.DOUBLE)));
                assertTrue(fast.minNumber().doubleValue() < 0, "the last layer has no ReLU");
                assertTrue(winograd.feedForward(x.castTo(DataType.FLOAT), training).get("b").minNumber().doubleValue() >= 0);
            }
        }
    }

    private static double maxError(INDArray actual, INDArray expected) {
        return actual.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue();
    }

    private static ComputationGraph graph(DataType type, Function<ConvolutionLayer.Builder, ConvolutionLayer> conv) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(type).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(20, 20, 3, CNN2DFormat.NHWC))
                .addLayer("a", new FrozenLayer(conv.apply(builder(3, 32, true, Activation.RELU))), "in")
                .addLayer("b", new FrozenLayer(conv.apply(builder(32, 48, true, Activation.RELU))), "a")
                .addLayer("c", new FrozenLayer(conv.apply(builder(48, 64, false, Activation.IDENTITY))), "b")
                .setOutputs("c").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static ConvolutionLayer.Builder builder(int in, int out, boolean bias, Activation activation) {
        return new ConvolutionLayer.Builder(3, 3).nIn(in).nOut(out).padding(1, 1).hasBias(bias)
                .convolutionMode(ConvolutionMode.Truncate).activation(activation);
    }
}
