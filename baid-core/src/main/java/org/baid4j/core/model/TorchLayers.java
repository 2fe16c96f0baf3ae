package org.baid4j.core.model;

import org.baid4j.core.layers.ChannelsLastConvolution;
import org.baid4j.core.layers.ImageConvolution;
import org.baid4j.core.layers.OneDnnConvolution;
import org.baid4j.core.layers.ReferenceBatchNormalization;
import org.baid4j.core.layers.WinogradConvolution;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * DL4J layers declared as their torch.nn counterparts behave: explicit padding with
 * {@link ConvolutionMode#Truncate} (DL4J's "Same" is TensorFlow's padding, not PyTorch's) and
 * PyTorch's default initialisations.
 */
final class TorchLayers {
    private TorchLayers() {
    }

    /**
     * nn.Conv2d initialised as torchvision's ResNet and VGG do: Kaiming normal, fan-out, ReLU gain;
     * on activations in {@code format} (NHWC: {@link ChannelsLastConvolution}).
     */
    static ConvolutionLayer kaimingConv(int in, int out, int kernel, int stride, int padding, boolean bias,
                                        CNN2DFormat format) {
        ConvolutionLayer.Builder builder = kaiming(in, out, kernel, stride, padding, bias);
        return format == CNN2DFormat.NHWC ? new ChannelsLastConvolution(builder) : builder.build();
    }

    /**
     * {@link #kaimingConv} for the convolution that reads the image: in NHWC, one whose backward
     * pass skips the image's gradient ({@link ImageConvolution}).
     */
    static ConvolutionLayer kaimingImageConv(int in, int out, int kernel, int stride, int padding, boolean bias,
                                             CNN2DFormat format) {
        ConvolutionLayer.Builder builder = kaiming(in, out, kernel, stride, padding, bias);
        return format == CNN2DFormat.NHWC ? new ImageConvolution(builder) : builder.build();
    }

    /**
     * A 3x3, stride 1, pad 1 NHWC convolution for the frozen VGG (initialised as
     * {@link #kaimingConv}), whose forward pass runs by Winograd ({@link WinogradConvolution}).
     */
    static ConvolutionLayer winogradConv(int in, int out, boolean bias) {
        return new WinogradConvolution(kaiming(in, out, 3, 1, 1, bias));
    }

    /** Kaiming normal, fan-out, ReLU gain. */
    private static ConvolutionLayer.Builder kaiming(int in, int out, int kernel, int stride, int padding, boolean bias) {
        double std = Math.sqrt(2.0 / ((double) out * kernel * kernel));
        return conv(in, out, kernel, stride, padding, bias).weightInit(new NormalDistribution(0, std));
    }

    /**
     * nn.Conv2d with PyTorch's default initialisation (Kaiming uniform, a = sqrt(5)): weights
     * U(+-1/sqrt(fan_in)). Its bias is drawn from the same range by {@link SaanGraph} after init,
     * since DL4J only initialises biases to a constant.
     */
    static ConvolutionLayer defaultConv(int in, int out, int kernel) {
        double bound = 1.0 / Math.sqrt((double) in * kernel * kernel);
        return new OneDnnConvolution(conv(in, out, kernel, 1, 0, true)
                .weightInit(new UniformDistribution(-bound, bound)));
    }

    private static ConvolutionLayer.Builder conv(int in, int out, int kernel, int stride, int padding, boolean bias) {
        return new ConvolutionLayer.Builder(kernel, kernel)
                .nIn(in).nOut(out)
                .stride(stride, stride)
                .padding(padding, padding)
                .convolutionMode(ConvolutionMode.Truncate)
                .hasBias(bias)
                .biasInit(0)
                .activation(Activation.IDENTITY);
    }

    /** nn.BatchNorm2d (eps 1e-5, momentum 0.1). DL4J's BN ignores any activation set on it: add a layer. */
    static ReferenceBatchNormalization batchNorm() {
        return new ReferenceBatchNormalization();
    }

    /** nn.BatchNorm2d on activations in {@code format}. */
    static ReferenceBatchNormalization batchNorm(CNN2DFormat format) {
        ReferenceBatchNormalization bn = new ReferenceBatchNormalization();
        bn.setCnn2DFormat(format);
        return bn;
    }

    /** A frozen layer of a branch with nothing trainable below it (VGG, GAB): no gradient, no update. */
    static Layer frozen(Layer layer) {
        return new FrozenLayer(layer);
    }

    static SubsamplingLayer maxPool(int kernel, int stride, int padding) {
        return maxPool(kernel, stride, padding, CNN2DFormat.NCHW);
    }

    static SubsamplingLayer maxPool(int kernel, int stride, int padding, CNN2DFormat format) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .convolutionMode(ConvolutionMode.Truncate)
                .dataFormat(format)
                .build();
    }

    static SubsamplingLayer avgPool(int kernel) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG)
                .kernelSize(kernel, kernel).stride(kernel, kernel)
                .convolutionMode(ConvolutionMode.Truncate)
                .build();
    }
}
