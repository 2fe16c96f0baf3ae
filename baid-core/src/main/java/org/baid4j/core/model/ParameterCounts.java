package org.baid4j.core.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.Map;
import java.util.Set;

/**
 * Parameter counts as PyTorch reports them: BN running statistics are buffers, not parameters.
 * "Trainable" is read from the configuration itself (frozen wrappers, zero learning rate), so a
 * layer that was meant to be frozen and is not shows up in the count.
 *
 * @param total     every parameter
 * @param trainable those an optimiser step can change
 */
public record ParameterCounts(long total, long trainable) {
    private static final Set<String> BUFFERS = Set.of(BatchNormalizationParamInitializer.GLOBAL_MEAN,
            BatchNormalizationParamInitializer.GLOBAL_VAR, BatchNormalizationParamInitializer.GLOBAL_LOG_STD);

    public static ParameterCounts of(ComputationGraph net) {
        long total = 0;
        long trainable = 0;
        for (GraphVertex vertex : net.getVertices()) {
            Map<String, INDArray> params = vertex.paramTable(false);
            if (params == null) {
                continue;
            }
            for (Map.Entry<String, INDArray> p : params.entrySet()) {
                if (BUFFERS.contains(p.getKey())) {
                    continue;
                }
                long n = p.getValue().length();
                total += n;
                if (isTrainable(vertex, p.getKey())) {
                    trainable += n;
                }
            }
        }
        return new ParameterCounts(total, trainable);
    }

    /** Whether an optimiser step changes {@code param} of {@code vertex}. */
    public static boolean isTrainable(GraphVertex vertex, String param) {
        if (!vertex.hasLayer()) {
            return true;   // SameDiff vertices with parameters train
        }
        Layer layer = vertex.getLayer();
        if (layer instanceof org.deeplearning4j.nn.layers.FrozenLayer
                || layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop) {
            return false;
        }
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf instanceof BaseLayer) {
            IUpdater updater = ((BaseLayer) conf).getUpdaterByParam(param);
            return !(updater instanceof Sgd && ((Sgd) updater).getLearningRate() == 0);
        }
        return true;
    }
}
