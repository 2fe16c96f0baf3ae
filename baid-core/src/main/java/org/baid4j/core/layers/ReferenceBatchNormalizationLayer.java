package org.baid4j.core.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's BN layer with the running-variance update PyTorch makes. DL4J applies that update as a
 * pseudo-gradient {@code dVar = (1 - d)(runningVar - batchVar)} subtracted after backprop, with the
 * biased batch variance; rewriting it to use {@code batchVar * N / (N - 1)} gives
 * {@code dVar' = (N dVar - (1 - d) runningVar) / (N - 1)}, N the number of values per channel.
 */
public class ReferenceBatchNormalizationLayer extends BatchNormalization {

    public ReferenceBatchNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> result = super.backpropGradient(epsilon, workspaceMgr);
        org.deeplearning4j.nn.conf.layers.BatchNormalization c = layerConf();
        long channels = c.getNOut();
        long perChannel = epsilon.length() / channels;
        INDArray varUpdate = gradientViews.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
        if (!c.isUseLogStd() && varUpdate != null && perChannel > 1) {
            INDArray runningVar = params.get(BatchNormalizationParamInitializer.GLOBAL_VAR);
            varUpdate.muli(perChannel)
                    .subi(runningVar.mul(1 - c.getDecay()).reshape(varUpdate.shape()))
                    .divi(perChannel - 1);
        }
        return result;
    }
}
