package org.baid4j.core.plan.layers;

import org.baid4j.core.plan.PlannedGraph;
import org.baid4j.core.plan.onednn.ConvolutionBackward;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The training backward pass of the CPU plan's NHWC convolutions, on oneDNN's own primitives
 * ({@link ConvolutionBackward}), against DL4J in double precision: every convolution shape the
 * content ResNet trains (1x1, 1x1 stride 2 that leaves the last row out, 3x3 stride 2, 7x7 stride 2,
 * with and without bias), each weight and bias gradient within float rounding. Each layer's input
 * gradient feeds the layer before it, so a wrong one shows in the earlier layers' weight gradients.
 */
class ConvolutionBackwardTest {

    @Test
    void gradientsEqualDl4jsInDoublePrecision() {
        ComputationGraph own = graph(DataType.FLOAT, true);
        ComputationGraph exact = graph(DataType.DOUBLE, false);
        Nd4j.getRandom().setSeed(17);
        INDArray params = Nd4j.randn(DataType.DOUBLE, exact.params().shape()).muli(0.2);
        own.setParams(params.castTo(DataType.FLOAT));
        exact.setParams(params);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 23, 23, 3);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 2, 4);
        int before = ConvolutionBackward.shapesMade();

        exact.setInputs(x);
        exact.setLabels(y);
        exact.computeGradientAndScore();
        own.setInputs(x.castTo(DataType.FLOAT));
        own.setLabels(y.castTo(DataType.FLOAT));
        own.computeGradientAndScore();

        assertEquals(before + 5, ConvolutionBackward.shapesMade(), "the own backward pass ran, once per shape");
        Map<String, INDArray> reference = exact.gradient().gradientForVariable();
        Map<String, INDArray> computed = own.gradient().gradientForVariable();
        for (String layer : new String[]{"stem", "reduce", "skip", "strided", "wide"}) {
            for (String param : new String[]{"W", "b"}) {
                INDArray ref = reference.get(layer + "_" + param);
                if (ref == null) {
                    assertNull(computed.get(layer + "_" + param), layer + " has no bias");
                    continue;
                }
                double scale = ref.amaxNumber().doubleValue();
                double error = computed.get(layer + "_" + param).castTo(DataType.DOUBLE).sub(ref).amaxNumber().doubleValue() / scale;
                assertTrue(scale > 1e-3, layer + "_" + param + ": a real gradient");
                assertTrue(error < 2e-5, layer + "_" + param + ": " + error + " of the gradient's scale off");
            }
        }
    }

    /** The plan's convolutions, or DL4J's own (in NHWC) for the reference. */
    private static ComputationGraph graph(DataType type, boolean plan) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(type).updater(new Sgd(0.1))
                .convolutionMode(ConvolutionMode.Truncate).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(23, 23, 3, CNN2DFormat.NHWC))
                .addLayer("stem", conv(3, 16, 7, 2, 3, false, plan), "in")
                .addLayer("reduce", conv(16, 24, 1, 1, 0, false, plan), "stem")
                .addLayer("skip", conv(24, 32, 1, 2, 0, true, plan), "reduce")
                .addLayer("strided", conv(32, 32, 3, 2, 1, false, plan), "skip")
                .addLayer("wide", conv(32, 8, 3, 1, 1, true, plan), "strided")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "wide")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(8).nOut(4)
                        .activation(Activation.IDENTITY).build(), "pool")
                .setOutputs("out").build();
        ComputationGraph graph = plan ? new PlannedGraph(conf, conf, false) : new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static Layer conv(int in, int out, int kernel, int stride, int pad, boolean bias, boolean plan) {
        ConvolutionLayer.Builder builder = new ConvolutionLayer.Builder(kernel, kernel).nIn(in).nOut(out).stride(stride, stride)
                .padding(pad, pad).hasBias(bias).activation(Activation.IDENTITY);
        return plan ? new ChannelsLastConvolution(builder) : builder.dataFormat(CNN2DFormat.NHWC).build();
    }
}
