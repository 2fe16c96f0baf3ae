package org.baid4j.core.layers;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The residual sum of a frozen branch: an element-wise add whose backward pass, when no
 * gradient arrives (the layers after it are frozen), passes none on instead of failing as DL4J's
 * add does. See {@link FrozenBatchNormalization}.
 */
public class FrozenResidualAdd extends ResidualAdd {

    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        return new Vertex(graph, name, idx, networkDatatype);
    }

    @Override
    public FrozenResidualAdd clone() {
        return new FrozenResidualAdd();
    }

    /** The add in a graph; its backward pass reads nothing the forward pass took. */
    public static final class Vertex extends ResidualAdd.Vertex {
        Vertex(ComputationGraph graph, String name, int idx, DataType dataType) {
            super(graph, name, idx, dataType);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (getEpsilon() == null) {
                return new Pair<>(null, new INDArray[getNumInputArrays()]);
            }
            return super.doBackward(tbptt, workspaceMgr);
        }
    }
}
