package org.baid4j.core.layers;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.samediff.SameDiffGraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link SameDiffGraphVertex} with two M2.1 defects fixed, everything else upstream's:
 * <ul>
 * <li>the gradient function is created while scoped out of all workspaces (upstream does it after
 * its scope has closed, which corrupts constants on the next iteration);</li>
 * <li>the external error is counted twice: {@code ExternalErrorsFunction.doDiff} registers the
 * upstream gradient for the vertex output and also returns it, and
 * {@code DifferentialFunction.diff} then adds the two, so every gradient leaving the vertex is
 * doubled. Halving the incoming epsilon (exact in binary floating point) undoes it; the block
 * parity tests against PyTorch would fail if upstream behaviour changed.</li>
 * </ul>
 */
public class ScopedSameDiffGraphVertex extends SameDiffGraphVertex {

    public ScopedSameDiffGraphVertex(ScopedSameDiffVertex config, ComputationGraph graph, String name, int vertexIndex,
                                     INDArray paramsView, boolean initParams, DataType dataType) {
        super(config, graph, name, vertexIndex, paramsView, initParams, dataType);
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (sameDiff == null) {
                doInit();
            }
            if (!sameDiff.hasGradientFunction()) {
                createGradientFunctionQuietly();
            }
        }
        INDArray upstream = epsilon;
        epsilon = upstream.mul(0.5);
        try {
            return super.doBackward(tbptt, workspaceMgr);
        } finally {
            epsilon = upstream;
        }
    }

    /**
     * M2.1's createGradFunction prints a line per op to System.out; a CLI that writes CSV to stdout
     * cannot have that. Done once per vertex, so the brief swap of System.out is cheap.
     */
    private void createGradientFunctionQuietly() {
        synchronized (System.class) {
            java.io.PrintStream out = System.out;
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                sameDiff.createGradFunction(config.getVertexParams().getInputs().toArray(new String[0]));
            } finally {
                System.setOut(out);
            }
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return config.feedForwardMaskArrays(maskArrays, currentMaskState, minibatchSize);
    }
}
