package org.baid4j.core.plan.layers;

import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * The residual sum of a ResNet block ({@code out += identity}, and the non-local block's
 * {@code W(y) + x}): DL4J's element-wise add, whose forward pass writes the sum in one pass where
 * DL4J's copies the first input and then adds the second to the copy. The backward pass is DL4J's
 * (each input gets its own copy of the gradient: DL4J frees a vertex's gradients by the vertex that
 * made them, so they cannot be handed on).
 */
public class ResidualAdd extends ElementWiseVertex {

    public ResidualAdd() {
        super(Op.Add);
    }

    @Override
    public GraphVertex instantiate(ComputationGraph graph, String name, int idx, INDArray paramsView,
                                   boolean initializeParams, DataType networkDatatype) {
        return new Vertex(graph, name, idx, networkDatatype);
    }

    @Override
    public ResidualAdd clone() {
        return new ResidualAdd();
    }

    /** The add in a graph. */
    public static class Vertex extends org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex {
        /** Whether the last forward pass was this class's (DL4J's backward pass counts the inputs its own saw). */
        private boolean summedHere;

        protected Vertex(ComputationGraph graph, String name, int idx, DataType dataType) {
            super(graph, name, idx, Op.Add, dataType);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray[] in = getInputs();
            if (in == null || in.length != 2 || in[0] == null || in[1] == null || in[0].dataType() != dataType
                    || in[1].dataType() != dataType || !Arrays.equals(in[0].shape(), in[1].shape())) {
                summedHere = false;
                return super.doForward(training, workspaceMgr);   // broadcasts, casts: DL4J's
            }
            summedHere = true;
            INDArray sum = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, in[0].shape(), in[0].ordering());
            Nd4j.exec(new AddOp(in[0], in[1], sum));
            return sum;
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (!summedHere || !canDoBackward()) {
                return super.doBackward(tbptt, workspaceMgr);
            }
            return new Pair<>(null, new INDArray[]{workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon),
                    workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilon)});
        }
    }
}
