package org.baid4j.core.plan.layers;

import org.baid4j.core.plan.onednn.OneDnn;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's convolution layer whose NHWC forward pass goes straight to the oneDNN helper (see
 * {@link ChannelsLastConvolution}), and whose backward pass, without an activation of its own (the
 * ResNets' convolutions, BN after each; the non-local block's, see {@link OneDnnConvolution}), goes
 * straight to the helper too, in either layout: DL4J's layer computes the convolution's forward
 * pass again in every backward pass, for the activation's derivative. Without a helper, or for
 * "Same" padding, DL4J's own code runs.
 */
public class ChannelsLastConvolutionLayer extends ConvolutionLayer {

    public ChannelsLastConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        if (helper == null && OneDnn.available()) {
            helper = new MKLDNNConvHelper(dataType);   // DL4J gives it only with its JVM-wide switch on
        }
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        if (helper == null || helperCountFail > 0 || c.getCnn2dDataFormat() != CNN2DFormat.NHWC
                || c.getConvolutionMode() == ConvolutionMode.Same) {
            return super.preOutput(training, forBackprop, workspaceMgr);
        }
        assertInputSet(false);
        if (preOutput != null && forBackprop) {
            return new Pair<>(preOutput, null);
        }
        INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr);
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        validateInputRank();
        validateInputDepth(weights.size(1));
        if (!hasBias()) {
            bias = zeroBias();
        }
        INDArray out = helper.preOutput(input.castTo(dataType), weights, bias, c.getKernelSize(), c.getStride(),
                c.getPadding(), c.getCudnnAlgoMode(), c.getCudnnFwdAlgo(), convolutionMode, c.getDilation(),
                CNN2DFormat.NHWC, workspaceMgr);
        return new Pair<>(out, null);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        if (helper == null || helperCountFail > 0
                || c.getConvolutionMode() == ConvolutionMode.Same || !(c.getActivationFn() instanceof ActivationIdentity)
                || c.getIDropout() != null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr);
        Pair<Gradient, INDArray> out = helper.backpropGradient(input.castTo(dataType), weights, bias,
                epsilon.castTo(dataType), c.getKernelSize(), c.getStride(), c.getPadding(),
                gradientViews.get(ConvolutionParamInitializer.BIAS_KEY), gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY),
                c.getActivationFn(), c.getCudnnAlgoMode(), c.getCudnnBwdFilterAlgo(), c.getCudnnBwdDataAlgo(),
                convolutionMode, c.getDilation(), c.getCnn2dDataFormat(), workspaceMgr);
        if (out == null) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        weightNoiseParams.clear();
        return out;
    }

    /** Zeros in the bias's shape, for a layer without one: oneDNN's convolutions take a bias. */
    protected INDArray zeroBias() {
        if (dummyBias == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                dummyBias = Nd4j.create(dataType, 1, layerConf().getNOut());
            }
        }
        return dummyBias;
    }
}
