package org.baid4j.core.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.factory.Nd4j;

/**
 * See {@link FrozenBatchNormalization}: a frozen layer (no gradient, no update by the optimiser)
 * whose BN sees the training flag, and which moves the running statistics after a training-mode
 * forward pass: {@code running = d * running + (1 - d) * batch}, the variance unbiased, as
 * PyTorch's BatchNorm2d does (d = 0.9, momentum 0.1).
 */
public class FrozenBatchNormalizationLayer extends FrozenLayer {

    public FrozenBatchNormalizationLayer(Layer batchNorm) {
        super(batchNorm);
        if (!(batchNorm instanceof BatchNormalization)) {
            throw new IllegalArgumentException("expected a BatchNormalization layer, got " + batchNorm.getClass().getName());
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = getInsideLayer().activate(training, workspaceMgr);
        if (training) {
            followBatch();
        }
        return out;
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray out = getInsideLayer().activate(input, training, workspaceMgr);
        if (training) {
            followBatch();
        }
        return out;
    }

    private void followBatch() {
        BatchNormalization bn = (BatchNormalization) getInsideLayer();
        org.deeplearning4j.nn.conf.layers.BatchNormalization c = bn.layerConf();
        INDArray x = bn.input();
        int[] dims = x.rank() == 2 ? new int[]{0}
                : c.getCnn2DFormat() == CNN2DFormat.NHWC ? new int[]{0, 1, 2} : new int[]{0, 2, 3};
        long perChannel = x.length() / c.getNOut();
        INDArray mean;
        INDArray variance;
        // oneDNN's helper keeps the batch statistics it normalised with; without it, compute them.
        BatchNormalizationHelper helper = (BatchNormalizationHelper) bn.getHelper();
        if (helper != null && helper.getMeanCache(x.dataType()) != null) {
            mean = helper.getMeanCache(x.dataType());
            variance = helper.getVarCache(x.dataType());
        } else {
            mean = x.mean(dims);
            variance = Nd4j.exec(new Variance(x, false, dims));
        }
        double d = c.getDecay();
        INDArray runningMean = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray runningVar = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
        runningMean.muli(d).addi(mean.reshape(runningMean.shape()).mul(1 - d));
        double unbiased = perChannel > 1 ? (double) perChannel / (perChannel - 1) : 1.0;
        runningVar.muli(d).addi(variance.reshape(runningVar.shape()).mul((1 - d) * unbiased));
    }
}
