package org.baid4j.core.model;

import org.baid4j.core.layers.ReferenceBatchNormalization;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.nd4j.linalg.activations.Activation;

/**
 * DL4J layers declared as their torch.nn counterparts behave: explicit padding with
 * {@link ConvolutionMode#Truncate} (DL4J's "Same" is TensorFlow's padding, not PyTorch's) and
 * PyTorch's default initialisations. Plain layers, NCHW: how a backend runs them is its plan's
 * ({@link org.baid4j.core.plan.ExecutionPlan}).
 */
final class TorchLayers {
    private TorchLayers() {
    }

    /** nn.Conv2d initialised as torchvision's ResNet and VGG do: Kaiming normal, fan-out, ReLU gain. */
    static ConvolutionLayer kaimingConv(int in, int out, int kernel, int stride, int padding, boolean bias) {
        return kaiming(in, out, kernel, stride, padding, bias).build();
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
        return conv(in, out, kernel, 1, 0, true).weightInit(new UniformDistribution(-bound, bound)).build();
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

    /** A frozen layer of a branch with nothing trainable below it (VGG, GAB): no gradient, no update. */
    static Layer frozen(Layer layer) {
        return new FrozenLayer(layer);
    }

    /** torch.nn.ReLU as a layer of its own (DL4J's BatchNorm applies no activation set on it). */
    static ActivationLayer relu() {
        return new ActivationLayer(Activation.RELU);
    }

    /** A residual sum ({@code out += identity}); in a frozen branch, a frozen vertex (DL4J's backward pass skips it). */
    static GraphVertex add(boolean frozen) {
        ElementWiseVertex add = new ElementWiseVertex(ElementWiseVertex.Op.Add);
        return frozen ? new FrozenVertex(add) : add;
    }

    static SubsamplingLayer maxPool(int kernel, int stride, int padding) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .convolutionMode(ConvolutionMode.Truncate)
                .build();
    }

    static SubsamplingLayer avgPool(int kernel) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG)
                .kernelSize(kernel, kernel).stride(kernel, kernel)
                .convolutionMode(ConvolutionMode.Truncate)
                .build();
    }
}
