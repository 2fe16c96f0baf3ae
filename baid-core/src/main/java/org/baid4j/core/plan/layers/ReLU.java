package org.baid4j.core.plan.layers;

import org.baid4j.core.layers.LayerInstances;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * torch.nn.ReLU as a layer of its own (the ResNets' and AdaIN's): DL4J's {@link ActivationLayer}
 * with ReLU, whose passes are {@link ReLULayer}'s: one pass over the maps forward (in training and
 * inference, without DL4J's copy of the input), two vectorised passes back.
 */
public class ReLU extends ActivationLayer {

    public ReLU() {
        super(Activation.RELU);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerInstances.wire(new ReLULayer(conf, networkDataType), conf, listeners, layerIndex, paramsView,
                initializeParams, initializer());
    }

    @Override
    public ReLU clone() {
        return (ReLU) super.clone();
    }
}
