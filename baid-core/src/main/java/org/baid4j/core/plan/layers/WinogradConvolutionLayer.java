package org.baid4j.core.plan.layers;

import org.baid4j.core.plan.onednn.WinogradForward;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * See {@link WinogradConvolution}. Where {@link WinogradForward} cannot run (another backend, a
 * layer shape it does not take, dropout, an activation other than identity or ReLU), DL4J's path
 * of {@link ChannelsLastConvolutionLayer} does.
 */
public class WinogradConvolutionLayer extends ChannelsLastConvolutionLayer {
    public WinogradConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!winograd()) {
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        validateInputRank();
        INDArray weights = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        validateInputDepth(weights.size(1));
        INDArray x = input.castTo(DataType.FLOAT);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                x.size(0), x.size(1), x.size(2), weights.size(0));
        WinogradForward.forward(x, weights, keptWeights, hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY) : zeroBias(),
                layerConf().getActivationFn() instanceof ActivationReLU, out);
        return out;
    }
}
