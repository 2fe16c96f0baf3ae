package org.baid4j.core.plan.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The first convolution of a trainable branch, the one that reads the image (the content ResNet's
 * 7x7 stem): an NHWC convolution ({@link ChannelsLastConvolution}) whose backward pass computes
 * the weight gradient only, and hands zeros back to the image, as {@link GradientStop} does for the
 * frozen branches ({@link ImageConvolutionLayer}). For a convolution with anything trainable
 * below it, use {@link ChannelsLastConvolution}.
 */
public class ImageConvolution extends ChannelsLastConvolution {

    /** For deserialisation. */
    protected ImageConvolution() {
    }

    /** The convolution {@code builder} describes, in NHWC. */
    public ImageConvolution(ConvolutionLayer.Builder builder) {
        super(builder);
    }

    @Override
    protected ChannelsLastConvolutionLayer newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new ImageConvolutionLayer(conf, dataType);
    }

    @Override
    public ImageConvolution clone() {
        return (ImageConvolution) super.clone();
    }
}
