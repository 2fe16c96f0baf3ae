package org.baid4j.core.plan.layers;

import org.baid4j.core.plan.PlannedGraph;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The convolutions of a network whose parameters are fixed ({@link PlannedGraph#fixParameters})
 * against the same network run by DL4J's helper and by DL4J in double precision: every shape SAAN
 * has (7x7 stride 2 on the image, 1x1, 1x1 stride 2 that leaves the last row out, 3x3 stride 2,
 * bias and ReLU, NCHW), each within float rounding of the exact output. Then the parameters
 * change, through setParams and through training: the kept weights must follow.
 */
class ConvolutionForwardTest {

    @Test
    void fixedParametersGiveTheHelpersOutputAndFollowNewParameters() {
        PlannedGraph fixed = graph(DataType.FLOAT);
        PlannedGraph helper = graph(DataType.FLOAT);
        ComputationGraph exact = graph(DataType.DOUBLE);
        fixed.fixParameters();
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, 23, 23);

        for (int parameters = 0; parameters < 2; parameters++) {
            INDArray params = Nd4j.randn(DataType.DOUBLE, exact.params().shape()).muli(0.2);
            fixed.setParams(params.castTo(DataType.FLOAT));
            helper.setParams(params.castTo(DataType.FLOAT));
            exact.setParams(params);
            assertAllClose(exact, helper, fixed, x, "parameters " + parameters);
        }

        // In-place writes, said: the kept layouts are made again.
        INDArray stem = fixed.getLayer("stem").getParam("W");
        stem.muli(-1);
        helper.getLayer("stem").getParam("W").muli(-1);
        exact.getLayer("stem").getParam("W").muli(-1);
        fixed.parametersChanged();
        assertAllClose(exact, helper, fixed, x, "after an in-place write");

        // Training a fixed network: its convolutions check their weights again.
        DataSet ds = new DataSet(x.castTo(DataType.FLOAT), Nd4j.rand(DataType.FLOAT, 2, 4));
        fixed.fit(ds);
        helper.setParams(fixed.params());
        exact.setParams(fixed.params().castTo(DataType.DOUBLE));
        assertAllClose(exact, helper, fixed, x, "after a training step");
    }

    private static void assertAllClose(ComputationGraph exact, ComputationGraph helper, ComputationGraph fixed, INDArray x,
                                       String when) {
        Map<String, INDArray> reference = exact.feedForward(x, false);
        Map<String, INDArray> plain = helper.feedForward(x.castTo(DataType.FLOAT), false);
        Map<String, INDArray> fast = fixed.feedForward(x.castTo(DataType.FLOAT), false);
        for (String name : new String[]{"stem", "reduce", "skip", "strided", "nchw"}) {
            INDArray ref = reference.get(name).castTo(DataType.DOUBLE);
            double scale = ref.amaxNumber().doubleValue();
            double error = fast.get(name).castTo(DataType.DOUBLE).sub(ref).amaxNumber().doubleValue() / scale;
            double helperError = plain.get(name).castTo(DataType.DOUBLE).sub(ref).amaxNumber().doubleValue() / scale;
            assertTrue(scale > 0.1, name + ": a real output");
            assertTrue(error < 1e-5 && error <= Math.max(10 * helperError, 1e-6),
                    when + ", " + name + ": " + error + " of the output's scale off (the helper: " + helperError + ")");
        }
        assertTrue(fast.get("skip").minNumber().doubleValue() >= 0, "ReLU fused");
        assertTrue(fast.get("stem").minNumber().doubleValue() < 0, "no activation");
    }

    private static PlannedGraph graph(DataType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(type).updater(new Sgd(0.1))
                .convolutionMode(ConvolutionMode.Truncate).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(23, 23, 3))
                .addLayer("stem", conv(3, 16, 7, 2, 3, false, Activation.IDENTITY), "in")
                .addLayer("reduce", conv(16, 24, 1, 1, 0, false, Activation.IDENTITY), "stem")
                .addLayer("skip", conv(24, 32, 1, 2, 0, true, Activation.RELU), "reduce")
                .addLayer("strided", conv(32, 32, 3, 2, 1, true, Activation.IDENTITY), "skip")
                .addLayer("nchw", new OneDnnConvolution(new ConvolutionLayer.Builder(1, 1).nIn(32).nOut(8)
                        .activation(Activation.IDENTITY)), "strided")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "nchw")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(8).nOut(4)
                        .activation(Activation.IDENTITY).build(), "pool")
                .setOutputs("out").build();
        PlannedGraph graph = new PlannedGraph(conf, conf, false);
        graph.init();
        return graph;
    }

    private static ChannelsLastConvolution conv(int in, int out, int kernel, int stride, int pad, boolean bias, Activation a) {
        return new ChannelsLastConvolution(new ConvolutionLayer.Builder(kernel, kernel).nIn(in).nOut(out).stride(stride, stride)
                .padding(pad, pad).hasBias(bias).activation(a));
    }
}
