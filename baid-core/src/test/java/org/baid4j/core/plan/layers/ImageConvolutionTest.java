package org.baid4j.core.plan.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link ImageConvolution}, a ResNet stem (7x7, stride 2, pad 3, 3 -> 16 channels) on a batch of
 * three 30x30 images, with and without a bias: its weight and bias gradients against DL4J's
 * convolution in double precision (as close as float rounding allows: within 10x the error of
 * DL4J's float backward pass, and 1e-5 of the gradient's scale), and the image's gradient all
 * zeros, where DL4J's is not.
 */
class ImageConvolutionTest {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void weightGradientsAreTheConvolutionsAndTheImageGetsNone(boolean bias) {
        ComputationGraph image = graph(DataType.FLOAT, bias, ImageConvolution::new);
        ComputationGraph direct = graph(DataType.FLOAT, bias, ChannelsLastConvolution::new);
        ComputationGraph exact = graph(DataType.DOUBLE, bias, b -> b.dataFormat(CNN2DFormat.NHWC).build());
        Nd4j.getRandom().setSeed(7);
        INDArray params = Nd4j.randn(DataType.DOUBLE, exact.params().shape()).muli(0.1);
        image.setParams(params.castTo(DataType.FLOAT));
        direct.setParams(params.castTo(DataType.FLOAT));
        exact.setParams(params);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 3, 30, 30, 3);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, 3, 15, 15, 16);
        assertInstanceOf(ImageConvolutionLayer.class, image.getLayer("conv1"));

        Pair<Gradient, INDArray> fast = backward(image, x.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT));
        Pair<Gradient, INDArray> plain = backward(direct, x.castTo(DataType.FLOAT), dy.castTo(DataType.FLOAT));
        Pair<Gradient, INDArray> reference = backward(exact, x, dy);
        for (String param : bias ? new String[]{"W", "b"} : new String[]{"W"}) {
            INDArray expected = reference.getFirst().getGradientFor(param);
            double scale = expected.amaxNumber().doubleValue();
            double error = maxError(fast.getFirst().getGradientFor(param), expected) / scale;
            double directError = maxError(plain.getFirst().getGradientFor(param), expected) / scale;
            assertTrue(error <= Math.max(10 * directError, 1e-6) && error < 1e-5,
                    param + ": " + error + " off, DL4J's " + directError);
        }
        assertEquals(bias ? 2 : 1, fast.getFirst().gradientForVariable().size());
        assertArrayEquals(x.shape(), fast.getSecond().shape());
        assertEquals(0.0, fast.getSecond().amaxNumber().doubleValue(), "the image gets no gradient");
        assertNotEquals(0.0, plain.getSecond().amaxNumber().doubleValue());
    }

    private static Pair<Gradient, INDArray> backward(ComputationGraph graph, INDArray x, INDArray dy) {
        Layer layer = graph.getLayer("conv1");
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, noWorkspaces);
        layer.activate(true, noWorkspaces);
        Pair<Gradient, INDArray> out = layer.backpropGradient(dy, noWorkspaces);
        for (String param : out.getFirst().gradientForVariable().keySet()) {   // the views are reused by the next call
            out.getFirst().setGradientFor(param, out.getFirst().getGradientFor(param).dup());
        }
        return out;
    }

    private static double maxError(INDArray actual, INDArray expected) {
        return actual.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue();
    }

    private static ComputationGraph graph(DataType type, boolean bias, Function<ConvolutionLayer.Builder, ConvolutionLayer> conv) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(type).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(30, 30, 3, CNN2DFormat.NHWC))
                .addLayer("conv1", conv.apply(new ConvolutionLayer.Builder(7, 7).nIn(3).nOut(16).stride(2, 2)
                        .padding(3, 3).hasBias(bias).convolutionMode(ConvolutionMode.Truncate)
                        .activation(Activation.IDENTITY)), "in")
                .setOutputs("conv1").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.initGradientsView();
        return graph;
    }
}
