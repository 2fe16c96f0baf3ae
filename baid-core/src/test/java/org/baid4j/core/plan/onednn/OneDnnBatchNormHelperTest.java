package org.baid4j.core.plan.onednn;

import org.baid4j.core.layers.ReferenceBatchNormalization;
import org.baid4j.core.plan.layers.OneDnnBatchNormalization;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link OneDnnBatchNormHelper} against DL4J's own BatchNorm arithmetic in double precision (the
 * layer's built-in path, which no helper takes for doubles): training-mode output, batch
 * statistics, and the backward pass (input gradient, gamma, beta), on maps whose mean is six
 * standard deviations from zero (where a careless variance or sum(dy * xhat) loses digits); and
 * the inference-mode output on given running statistics.
 * DL4J's oneDNN helper, in float, is the bar: ours may not be more than twice as far off.
 */
class OneDnnBatchNormHelperTest {

    @ParameterizedTest
    @EnumSource(CNN2DFormat.class)
    void trainingForwardAndBackwardMatchDoublePrecision(CNN2DFormat format) {
        int n = 4, c = 24, h = 13, w = 11;
        long[] shape = format == CNN2DFormat.NCHW ? new long[]{n, c, h, w} : new long[]{n, h, w, c};
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.DOUBLE, shape).muli(0.5).addi(3);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, shape);
        INDArray gamma = Nd4j.rand(DataType.DOUBLE, 1, c).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.DOUBLE, 1, c);

        Run reference = run(layer(new ReferenceBatchNormalization(), DataType.DOUBLE, format, c, h, w), x, dy, gamma, beta);
        BatchNormalization ours = layer(new OneDnnBatchNormalization(), DataType.FLOAT, format, c, h, w);
        assertInstanceOf(OneDnnBatchNormHelper.class, ours.getHelper());
        BatchNormalization dl4j = layer(new ReferenceBatchNormalization(), DataType.FLOAT, format, c, h, w);
        setHelper(dl4j, new MKLDNNBatchNormHelper(DataType.FLOAT));
        Run fast = run(ours, x, dy, gamma, beta);
        Run bar = run(dl4j, x, dy, gamma, beta);

        // DL4J drops a helper that throws and carries on with its own arithmetic: ours must not have.
        assertEquals(0, helperFailures(ours), "the helper failed and DL4J fell back to its own BatchNorm");

        String[] names = {"output", "input gradient", "gamma gradient", "beta gradient", "batch mean", "batch variance",
                "inference output"};
        for (int i = 0; i < names.length; i++) {
            double error = relative(fast.arrays[i], reference.arrays[i]);
            double dl4jError = relative(bar.arrays[i], reference.arrays[i]);
            assertTrue(error <= Math.max(2 * dl4jError, 1e-6),
                    names[i] + ": " + error + " off, DL4J's oneDNN helper " + dl4jError);
        }
    }

    private record Run(INDArray[] arrays) {
    }

    private static Run run(BatchNormalization layer, INDArray x, INDArray dy, INDArray gamma, INDArray beta) {
        DataType type = layer.getParam(BatchNormalizationParamInitializer.GAMMA).dataType();
        layer.getParam(BatchNormalizationParamInitializer.GAMMA).assign(gamma.castTo(type));
        layer.getParam(BatchNormalizationParamInitializer.BETA).assign(beta.castTo(type));
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray out = layer.activate(x.castTo(type), true, mgr).dup();
        INDArray mean;
        INDArray var;
        if (type == DataType.FLOAT) {   // the statistics the helper normalised with
            BatchNormalizationHelper helper = (BatchNormalizationHelper) layer.getHelper();
            mean = helper.getMeanCache(type).dup();
            var = helper.getVarCache(type).dup();
        } else {
            int[] axes = layer.layerConf().getCnn2DFormat() == CNN2DFormat.NCHW ? new int[]{0, 2, 3} : new int[]{0, 1, 2};
            mean = x.mean(axes);
            var = x.var(false, axes);
        }
        Pair<Gradient, INDArray> back = layer.backpropGradient(dy.castTo(type), mgr);
        Gradient g = back.getFirst();
        INDArray[] arrays = {out, back.getSecond().dup(),
                g.getGradientFor(BatchNormalizationParamInitializer.GAMMA).dup(),
                g.getGradientFor(BatchNormalizationParamInitializer.BETA).dup(), mean, var, null};
        // Inference normalises with the running statistics: set them to this batch's (in double).
        int[] axes = layer.layerConf().getCnn2DFormat() == CNN2DFormat.NCHW ? new int[]{0, 2, 3} : new int[]{0, 1, 2};
        INDArray running = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        running.assign(x.mean(axes).castTo(type).reshape(running.shape()));
        INDArray runningVar = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
        runningVar.assign(x.var(true, axes).castTo(type).reshape(runningVar.shape()));
        arrays[6] = layer.activate(x.castTo(type), false, mgr).dup();
        return new Run(arrays);
    }

    private static double relative(INDArray actual, INDArray expected) {
        INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
        INDArray a = actual.castTo(DataType.DOUBLE).reshape(actual.length());
        return a.sub(e).amaxNumber().doubleValue() / e.amaxNumber().doubleValue();
    }

    private static BatchNormalization layer(ReferenceBatchNormalization conf, DataType type, CNN2DFormat format, int c, int h, int w) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(type).list()
                .layer(conf)
                .setInputType(InputType.convolutional(h, w, c, format)).build());
        net.init();
        net.initGradientsView();
        return (BatchNormalization) net.getLayer(0);
    }

    private static int helperFailures(BatchNormalization layer) {
        try {
            java.lang.reflect.Field f = BatchNormalization.class.getDeclaredField("helperCountFail");
            f.setAccessible(true);
            return f.getInt(layer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void setHelper(BatchNormalization layer, Object helper) {
        try {
            java.lang.reflect.Field f = BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            f.set(layer, helper);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
