package org.baid4j.core.plan.layers;

import org.baid4j.core.layers.LayerInstances;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * A convolution in the layout its builder names whose backward pass, without an activation of its
 * own, does not compute the forward pass again ({@link ChannelsLastConvolutionLayer}); the
 * non-local block's NCHW 1x1 convolutions. Everything else is DL4J's layer.
 */
public class OneDnnConvolution extends ConvolutionLayer {

    /** For deserialisation. */
    protected OneDnnConvolution() {
    }

    /** The convolution {@code builder} describes. */
    public OneDnnConvolution(ConvolutionLayer.Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray paramsView, boolean initializeParams, DataType networkDataType) {
        return LayerInstances.wire(newLayer(conf, networkDataType), conf, listeners,
                layerIndex, paramsView, initializeParams, initializer());
    }

    /** The layer this configuration runs as. */
    protected ChannelsLastConvolutionLayer newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new ChannelsLastConvolutionLayer(conf, dataType);
    }

    @Override
    public OneDnnConvolution clone() {
        return (OneDnnConvolution) super.clone();
    }
}
