package org.baid4j.core.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Base for the project's SameDiff vertices. It exists for one reason: M2.1's
 * {@code SameDiffGraphVertex} creates its gradient function inside the layer workspace, so reduce
 * axes and scalar constants (AdaIN's epsilon) are overwritten by the next iteration. The instance
 * made here builds that function outside any workspace ({@link ScopedSameDiffGraphVertex}).
 *
 * <p>Subclasses are stored by class name in model files: keep them where they are.
 */
public abstract class ScopedSameDiffVertex extends SameDiffVertex {

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        setName(name);
        return new ScopedSameDiffGraphVertex(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        // Images carry no masks; pass through whatever state the graph has.
        return new Pair<>(null, currentMaskState);
    }

    @Override
    public void initializeParameters(java.util.Map<String, INDArray> params) {
        // Parameter-free by default.
    }

    /**
     * A copy with everything DL4J set on this vertex (updater, regularisation, data type, name),
     * made the way a model file stores it. Spark's workers and ParallelWrapper's replicas build
     * their networks from a cloned configuration, so a clone must carry those fields too.
     */
    @Override
    public final ScopedSameDiffVertex clone() {
        try {
            ObjectMapper json = JsonMappers.getMapper();
            return (ScopedSameDiffVertex) json.readValue(json.writeValueAsString(this), GraphVertex.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot copy vertex " + getLayerName() + " (" + getClass().getName() + ")", e);
        }
    }
}
