package org.baid4j.core.plan.layers;

import org.baid4j.core.layers.LayerInstances;
import org.baid4j.core.layers.ReferenceBatchNormalization;
import org.baid4j.core.layers.ReferenceBatchNormalizationLayer;
import org.baid4j.core.plan.onednn.OneDnnBatchNormHelper;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * PyTorch's BatchNorm ({@link ReferenceBatchNormalization}) on oneDNN's own primitives
 * ({@link OneDnnBatchNormHelper}): one for the batch statistics and the normalisation, one for the
 * whole backward pass, one for inference. DL4J's oneDNN helper reduces over non-contiguous axes
 * and calls {@code batchnorm_bp}: slow in NCHW, three times slower in NHWC.
 */
public class OneDnnBatchNormalization extends ReferenceBatchNormalization {

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        ReferenceBatchNormalizationLayer layer = new ReferenceBatchNormalizationLayer(conf, networkDataType);
        OneDnnBatchNormHelper.install(layer);
        return LayerInstances.wire(layer, conf, listeners, layerIndex, paramsView, initializeParams, initializer());
    }

    @Override
    public OneDnnBatchNormalization clone() {
        return (OneDnnBatchNormalization) super.clone();
    }
}
