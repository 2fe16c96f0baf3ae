package org.baid4j.core.plan.layers;

import org.baid4j.core.layers.NonLocalAttention;
import org.baid4j.core.layers.ScopedSameDiffGraphVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link NonLocalAttention} whose inference is three ND4J ops, {@code y = g softmax(theta^T phi)^T}
 * per image, instead of a SameDiff session (whose setup cost a score more than the arithmetic:
 * 196 queries by 49 keys of 768 channels at 224 px). Training keeps the SameDiff vertex and its
 * backward pass. The same arithmetic in the same order: the block parity tests hold either way.
 */
public class ClosedFormNonLocalAttention extends NonLocalAttention {

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                       INDArray paramsView, boolean initializeParams,
                                                                       DataType networkDatatype) {
        setName(name);
        return new Vertex(this, graph, name, idx, paramsView, initializeParams, networkDatatype);
    }

    /** The vertex: SameDiff's in training, closed form at inference. */
    public static class Vertex extends ScopedSameDiffGraphVertex {
        Vertex(ClosedFormNonLocalAttention config, ComputationGraph graph, String name, int idx, INDArray paramsView,
               boolean initializeParams, DataType dataType) {
            super(config, graph, name, idx, paramsView, initializeParams, dataType);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray[] in = getInputs();
            if (training || in == null || in.length != 3 || in[0].rank() != 4 || in[0].dataType() != DataType.FLOAT) {
                return super.doForward(training, workspaceMgr);
            }
            INDArray theta = in[0];
            long batch = theta.size(0);
            long channels = theta.size(1);
            long queries = theta.size(2) * theta.size(3);
            long keys = in[1].size(2) * in[1].size(3);
            INDArray thetaFlat = theta.dup('c').reshape('c', batch, channels, queries);
            INDArray phiFlat = in[1].dup('c').reshape('c', batch, channels, keys);
            INDArray gFlat = in[2].dup('c').reshape('c', batch, channels, keys);
            INDArray f = workspaceMgr.createUninitialized(ArrayType.FF_WORKING_MEM, DataType.FLOAT, batch, queries, keys);
            Nd4j.matmul(thetaFlat, phiFlat, f, true, false, false);                  // [B, HW, hw]
            Nd4j.exec(new SoftMax(f, f, 2));
            INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, batch, channels, queries);
            Nd4j.matmul(gFlat, f, y, false, true, false);                            // [B, C, HW]
            return y.reshape('c', theta.shape());
        }
    }
}
