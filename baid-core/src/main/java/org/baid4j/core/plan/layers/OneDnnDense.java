package org.baid4j.core.plan.layers;

import org.baid4j.core.layers.LayerInstances;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/** A dense layer whose inference, with fixed parameters, runs on oneDNN's inner product ({@link OneDnnDenseLayer}). */
public class OneDnnDense extends DenseLayer {

    /** For deserialisation. */
    protected OneDnnDense() {
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerInstances.wire(new OneDnnDenseLayer(conf, networkDataType), conf, listeners, layerIndex, paramsView,
                initializeParams, initializer());
    }

    @Override
    public OneDnnDense clone() {
        return (OneDnnDense) super.clone();
    }
}
