package org.baid4j.core.plan.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A 3x3, stride 1, NHWC convolution whose forward pass runs by oneDNN's Winograd algorithm, with
 * its bias and ReLU fused ({@link WinogradConvolutionLayer}); for the frozen VGG, whose forward
 * pass is all that training and scoring ask of it. The backward pass, where one is asked for, is
 * the direct convolution's ({@link ChannelsLastConvolution}). Not for the frozen GAB: there, BN in
 * training mode normalises 4x4 maps of a few images in the parity test, and Winograd's rounding,
 * a few ulps of the convolution's inputs rather than of its output, took the training-step
 * gradients three times past PyTorch's own spread.
 */
public class WinogradConvolution extends ChannelsLastConvolution {

    /** For deserialisation. */
    protected WinogradConvolution() {
    }

    /** The convolution {@code builder} describes, in NHWC. */
    public WinogradConvolution(ConvolutionLayer.Builder builder) {
        super(builder);
    }

    @Override
    protected ChannelsLastConvolutionLayer newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new WinogradConvolutionLayer(conf, dataType);
    }

    @Override
    public WinogradConvolution clone() {
        return (WinogradConvolution) super.clone();
    }
}
