package org.baid4j.core.plan.layers;

import org.baid4j.core.plan.onednn.InnerProductForward;
import org.baid4j.core.plan.onednn.KeptWeights;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's dense layer whose inference, once its parameters are fixed, runs on oneDNN's inner
 * product with the weights kept in its layout ({@link InnerProductForward}), then the layer's
 * activation. Otherwise, and for layer norm or another data type, DL4J's layer.
 */
public class OneDnnDenseLayer extends DenseLayer implements FixedParameters {
    private final KeptWeights keptWeights = new KeptWeights();
    private INDArray zeroBias;

    public OneDnnDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (training || !keptWeights.fixed() || dataType != DataType.FLOAT || !InnerProductForward.available()
                || hasLayerNorm() || input == null || input.rank() != 2) {
            return super.activate(training, workspaceMgr);
        }
        INDArray weights = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray x = input.castTo(DataType.FLOAT);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.size(0), weights.size(1));
        InnerProductForward.forward(x, weights, keptWeights, hasBias() ? getParam(DefaultParamInitializer.BIAS_KEY) : zeroBias(),
                out);
        return layerConf().getActivationFn().getActivation(out, false);
    }

    @Override
    public void fixParameters(boolean fixed) {
        keptWeights.fix(fixed);
    }

    @Override
    public void parametersChanged() {
        keptWeights.weightsChanged();
    }

    private INDArray zeroBias() {
        if (zeroBias == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                zeroBias = Nd4j.create(DataType.FLOAT, layerConf().getNOut());
            }
        }
        return zeroBias;
    }
}
