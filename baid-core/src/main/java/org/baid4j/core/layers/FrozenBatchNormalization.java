package org.baid4j.core.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;

/**
 * BatchNorm of a frozen branch as the reference runs it under {@code model.train()}: gamma and
 * beta fixed, batch statistics normalising in training and updating the running statistics, and
 * no gradient: nothing below a frozen branch trains. DL4J's own BN updates its running statistics
 * during backprop, which made the frozen GAB compute a whole backward pass only for that; this
 * layer updates them in the forward pass (as PyTorch does), so the branch's backward pass is
 * skipped (see {@link GradientStop}, {@link FrozenResidualAdd}).
 */
public class FrozenBatchNormalization extends FrozenLayer {

    public FrozenBatchNormalization(@JsonProperty("layer") ReferenceBatchNormalization layer) {
        super(layer);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray paramsView, boolean initializeParams,
                                                       DataType networkDataType) {
        org.deeplearning4j.nn.layers.FrozenLayer frozen = (org.deeplearning4j.nn.layers.FrozenLayer)
                super.instantiate(conf, listeners, layerIndex, paramsView, initializeParams, networkDataType);
        return new FrozenBatchNormalizationLayer(frozen.getInsideLayer());
    }

    @Override
    public FrozenBatchNormalization clone() {
        return (FrozenBatchNormalization) super.clone();
    }
}
