package org.baid4j.core.plan.layers;

import org.baid4j.core.plan.onednn.ConvolutionWeightGradient;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * See {@link ImageConvolution}. Where {@link ConvolutionWeightGradient} cannot run (no preset
 * natives, not float, dilation, "Same" padding, non-square settings, an activation or dropout of
 * its own), DL4J's backward pass of {@link ChannelsLastConvolutionLayer} runs, input gradient and
 * all.
 */
public class ImageConvolutionLayer extends ChannelsLastConvolutionLayer {
    public ImageConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!weightGradientOnly()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        INDArray weightGradient = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGradient = hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        ConvolutionWeightGradient.compute(input.castTo(DataType.FLOAT), epsilon.castTo(DataType.FLOAT),
                c.getKernelSize()[0], c.getStride()[0], c.getPadding()[0], weightGradient, biasGradient);
        return gradientsWritten(workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c'));
    }

    private boolean weightGradientOnly() {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer c = layerConf();
        return dataType == DataType.FLOAT && ConvolutionWeightGradient.available()
                && c.getCnn2dDataFormat() == CNN2DFormat.NHWC && c.getConvolutionMode() != ConvolutionMode.Same
                && c.getActivationFn() instanceof ActivationIdentity && c.getIDropout() == null
                && c.getKernelSize()[0] == c.getKernelSize()[1] && c.getStride()[0] == c.getStride()[1]
                && c.getPadding()[0] == c.getPadding()[1] && c.getDilation()[0] == 1 && c.getDilation()[1] == 1;
    }
}
