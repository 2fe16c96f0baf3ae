package org.baid4j.core.plan.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;

/**
 * A convolution on NHWC activations that oneDNN runs without reordering them. In NCHW, oneDNN
 * 2.3's AVX-512 kernels want NHWC and every convolution reorders its input and output (two thirds
 * of SAAN's inference time on CPU); DL4J M2.1's NHWC convolution, in turn, copies its whole input
 * to NCHW before it calls oneDNN with the NHWC original and throws the copy away. This layer
 * skips that copy ({@link ChannelsLastConvolutionLayer}); everything else is DL4J's layer.
 */
public class ChannelsLastConvolution extends OneDnnConvolution {

    /** For deserialisation. */
    protected ChannelsLastConvolution() {
    }

    /** The convolution {@code builder} describes, in NHWC. */
    public ChannelsLastConvolution(ConvolutionLayer.Builder builder) {
        super(builder.dataFormat(CNN2DFormat.NHWC));
    }

    @Override
    public ChannelsLastConvolution clone() {
        return (ChannelsLastConvolution) super.clone();
    }
}
