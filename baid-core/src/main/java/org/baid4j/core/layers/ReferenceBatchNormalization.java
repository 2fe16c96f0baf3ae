package org.baid4j.core.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * BatchNorm as PyTorch's {@code nn.BatchNorm2d/1d} defines it: eps 1e-5, momentum 0.1
 * (DL4J decay 0.9), variance stored as variance, and the running variance updated with the
 * <em>unbiased</em> batch variance (DL4J's own layer uses the biased one; the difference is
 * N/(N-1), visible for the head's BN on 2x2 maps). Normalisation in training mode uses the biased
 * batch variance in both frameworks. Weight decay applies to gamma and beta, as in PyTorch.
 */
public class ReferenceBatchNormalization extends BatchNormalization {
    public static final double TORCH_EPS = 1e-5;
    public static final double TORCH_DECAY = 0.9;

    public ReferenceBatchNormalization() {
        super();
        setEps(TORCH_EPS);
        setDecay(TORCH_DECAY);
        setUseLogStd(false);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerInstances.wire(new ReferenceBatchNormalizationLayer(conf, networkDataType), conf, listeners,
                layerIndex, paramsView, initializeParams, initializer());
    }

    /**
     * PyTorch's Adam weight_decay reaches BN's gamma and beta too (DL4J's BN exempts them): gamma
     * takes the layer's L2, beta its bias L2; the running statistics none.
     */
    @Override
    public java.util.List<org.nd4j.linalg.learning.regularization.Regularization> getRegularizationByParam(String param) {
        switch (param) {
            case org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.GAMMA:
                return regularization;
            case org.deeplearning4j.nn.params.BatchNormalizationParamInitializer.BETA:
                return regularizationBias;
            default:
                return null;
        }
    }

    /**
     * Always false: PyTorch stores the variance. (DL4J's configuration reader sets this from the
     * variables a network has initialised, and a declaration read before any network has none.)
     */
    @Override
    public void setUseLogStd(boolean useLogStd) {
        super.setUseLogStd(false);
    }

    @Override
    public ReferenceBatchNormalization clone() {
        return (ReferenceBatchNormalization) super.clone();
    }
}
