package org.baid4j.core.model;

import org.apache.commons.lang3.ArrayUtils;
import org.baid4j.core.layers.FrozenResidualAdd;
import org.baid4j.core.layers.GradientStop;
import org.deeplearning4j.nn.api.FwdPassType;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.graph.vertex.impl.FrozenVertex;
import org.deeplearning4j.nn.graph.vertex.impl.PreprocessorVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.workspace.WorkspaceUtils;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link ComputationGraph} whose training forward pass frees the activations of its frozen
 * branches as soon as the next vertices have read them, as PyTorch does under {@code no_grad}.
 * DL4J keeps every vertex's output in one workspace until the backward pass is over, though the
 * backward pass skips frozen layers and never reads what they took; in SAAN those are GAB's and
 * the VGG slice's maps, two thirds of a training step's activations.
 * <p>
 * A vertex's output is freed early when neither the vertex nor any vertex that reads it has a
 * backward pass that looks at its inputs: DL4J's frozen layers and vertices (skipped in the
 * backward pass), {@link FrozenResidualAdd} and {@link GradientStop}. Those outputs go to a pool
 * of workspaces, one per output still to be read, reused once all its readers have run (the
 * scheme DL4J's own inference pass uses); everything else stays in DL4J's activations workspace,
 * and the backward pass is DL4J's. Graphs without such vertices, passes outside training and
 * networks without workspaces run DL4J's code unchanged.
 * <p>
 * It also removes two fixed costs of every DL4J training step that PyTorch does not pay:
 * <ul>
 *   <li>DL4J's updater takes a gradient for its "external" path (re-cutting a view of every
 *       parameter's gradient and value at each step) unless {@code gradient.gradient()} is the
 *       network's gradient array itself, and {@code DefaultGradient} always returns a new view of
 *       it; the gradient this graph hands over returns the array itself, so the updater takes its
 *       standard path over the views it cut once. The arithmetic is the same.</li>
 *   <li>{@link #calcRegularizationScore} is 0: the score is the loss alone, as the reference's;
 *       DL4J would add {@code wd/2 ||theta||^2} at every step, a term PyTorch's coupled
 *       {@code weight_decay} never computes. The decay itself stays in the gradient.</li>
 * </ul>
 */
public class FrozenBranchGraph extends ComputationGraph {
    private static final String FROZEN_WORKSPACE = "BAID_FROZEN_BRANCH_";
    private static final WorkspaceConfiguration FROZEN_WORKSPACE_CONFIG = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    /** By vertex index: its output is freed once read (see the class comment). */
    private transient boolean[] freedEarly;
    /** By vertex index: the position in the topological order of its last reader. */
    private transient int[] lastReadAt;

    public FrozenBranchGraph(ComputationGraphConfiguration configuration) {
        super(configuration);
    }

    /**
     * {@code graph} as a FrozenBranchGraph: the same configuration, parameters (shared, not
     * copied), updater state and listeners. {@code graph} itself if it is one already.
     */
    public static FrozenBranchGraph of(ComputationGraph graph) {
        if (graph instanceof FrozenBranchGraph frozen) {
            return frozen;
        }
        FrozenBranchGraph out = new FrozenBranchGraph(graph.getConfiguration());
        out.init(graph.params(), false);
        ComputationGraphUpdater updater = graph.getUpdater(false);
        if (updater != null && updater.getStateViewArray() != null) {
            out.getUpdater().setStateViewArray(updater.getStateViewArray());
        }
        out.setListeners(graph.getListeners());
        return out;
    }

    @Override
    public void computeGradientAndScore() {
        super.computeGradientAndScore();
        gradient = new NetworkGradient(flattenedGradients, gradient);
    }

    /** No weight decay term in the score (see the class comment); the gradient keeps it. */
    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return 0;
    }

    @Override
    public FrozenBranchGraph clone() {
        return of(super.clone());
    }

    /** The vertices whose outputs a training step frees early. */
    public List<String> freedEarly() {
        analyse();
        List<String> names = new ArrayList<>();
        for (GraphVertex v : vertices) {
            if (freedEarly[v.getVertexIndex()]) {
                names.add(v.getVertexName());
            }
        }
        return names;
    }

    /** Whether the backward pass never reads what {@code v} took in the forward pass. */
    static boolean readsNothingBackward(GraphVertex v) {
        return (v.hasLayer() && v.getLayer() instanceof FrozenLayer)   // skipped by DL4J's backward pass
                || v instanceof FrozenVertex
                || v instanceof FrozenResidualAdd.Vertex
                || (v instanceof PreprocessorVertex p && p.getPreProcessor() instanceof GradientStop);
    }

    private void analyse() {
        if (freedEarly != null) {
            return;
        }
        boolean[] freed = new boolean[vertices.length];
        int[] lastRead = new int[vertices.length];
        int[] position = new int[vertices.length];
        for (int i = 0; i < topologicalOrder.length; i++) {
            position[topologicalOrder[i]] = i;
        }
        for (GraphVertex v : vertices) {
            VertexIndices[] readers = v.getOutputVertices();
            boolean early = !v.isInputVertex() && !v.isOutputVertex() && readers != null && readers.length > 0
                    && readsNothingBackward(v);
            int last = -1;
            for (int r = 0; readers != null && r < readers.length; r++) {
                early &= readsNothingBackward(vertices[readers[r].getVertexIndex()]);
                last = Math.max(last, position[readers[r].getVertexIndex()]);
            }
            freed[v.getVertexIndex()] = early;
            lastRead[v.getVertexIndex()] = last;
        }
        lastReadAt = lastRead;
        freedEarly = freed;
    }

    @Override
    protected synchronized Map<String, INDArray> ffToLayerActivationsInWS(boolean train, int layerIndex, int[] excludeIdxs,
                                                                          FwdPassType fwdPassType, boolean storeLastForTBPTT,
                                                                          INDArray[] input, INDArray[] fMask, INDArray[] lMask,
                                                                          boolean clearInputs) {
        analyse();
        if (!train || layerIndex != -1 || fwdPassType != FwdPassType.STANDARD
                || configuration.getTrainingWorkspaceMode() == WorkspaceMode.NONE || !ArrayUtils.contains(freedEarly, true)) {
            return super.ffToLayerActivationsInWS(train, layerIndex, excludeIdxs, fwdPassType, storeLastForTBPTT,
                    input, fMask, lMask, clearInputs);
        }
        setInputs(input);
        setLayerMaskArrays(fMask, lMask);
        WorkspaceUtils.assertOpenAndActive(WS_ALL_LAYERS_ACT, "the training forward pass needs WS_ALL_LAYERS_ACT open");
        MemoryWorkspace kept = Nd4j.getMemoryManager().getCurrentWorkspace();
        LayerWorkspaceMgr keptMgr = workspaces(WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG, input);

        Deque<LayerWorkspaceMgr> freePool = new ArrayDeque<>();
        int poolSize = 0;
        Map<MemoryWorkspace, LayerWorkspaceMgr> open = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<MemoryWorkspace>[] closeAfter = new List[topologicalOrder.length];
        Map<String, INDArray> activations = new HashMap<>();
        try {
            for (int i = 0; i < topologicalOrder.length; i++) {
                GraphVertex current = vertices[topologicalOrder[i]];
                int v = current.getVertexIndex();
                if (excludeIdxs == null || !ArrayUtils.contains(excludeIdxs, v)) {
                    LayerWorkspaceMgr mgr = keptMgr;
                    if (freedEarly[v]) {
                        mgr = freePool.isEmpty() ? workspaces(FROZEN_WORKSPACE + poolSize++, FROZEN_WORKSPACE_CONFIG, input)
                                : freePool.pop();
                        MemoryWorkspace ws = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS);
                        ws.setPreviousWorkspace(kept);
                        open.put(ws, mgr);
                        int at = lastReadAt[v];
                        if (closeAfter[at] == null) {
                            closeAfter[at] = new ArrayList<>();
                        }
                        closeAfter[at].add(ws);
                    }
                    forward(current, train, mgr, clearInputs, activations);
                    Nd4j.getMemoryManager().setCurrentWorkspace(kept);
                }
                if (closeAfter[i] != null) {
                    for (MemoryWorkspace ws : closeAfter[i]) {
                        ws.close();
                        freePool.push(open.remove(ws));
                    }
                    closeAfter[i] = null;
                    Nd4j.getMemoryManager().setCurrentWorkspace(kept);
                }
            }
        } finally {
            for (MemoryWorkspace ws : open.keySet()) {
                ws.close();
            }
            Nd4j.getMemoryManager().setCurrentWorkspace(kept);
        }
        return activations;
    }

    /** One vertex's forward pass, its output handed to its readers (as DL4J's loop does). */
    private void forward(GraphVertex current, boolean train, LayerWorkspaceMgr mgr, boolean clearInputs,
                         Map<String, INDArray> activations) {
        try (MemoryWorkspace working = mgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
            int v = current.getVertexIndex();
            INDArray out;
            if (current.isInputVertex()) {
                out = getInput(v);
            } else {
                out = current.doForward(train, mgr);
                validateArrayWorkspaces(mgr, out, ArrayType.ACTIVATIONS, current.getVertexName(), false, "Feed forward (training)");
            }
            if (!freedEarly[v]) {
                activations.put(current.getVertexName(), out);   // listeners see what lives to the end of the step
            }
            VertexIndices[] readers = current.getOutputVertices();
            for (int r = 0; readers != null && r < readers.length; r++) {
                vertices[readers[r].getVertexIndex()].setInput(readers[r].getVertexEdgeNumber(), out, mgr);
            }
            if (clearInputs) {
                current.clear();
            }
        }
    }

    /** The workspaces of a forward pass whose activations go to {@code activations}. */
    private LayerWorkspaceMgr workspaces(String activations, WorkspaceConfiguration config, INDArray[] input) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.builder()
                .with(ArrayType.ACTIVATIONS, activations, config)
                .with(ArrayType.INPUT, activations, config)
                .with(ArrayType.FF_WORKING_MEM, WS_LAYER_WORKING_MEM, WS_LAYER_WORKING_MEM_CONFIG)
                .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM, WS_RNN_LOOP_WORKING_MEM_CONFIG)
                .build();
        if (input[0].isAttached()) {
            // Don't leverage out of an asynchronous iterator's workspace (as DL4J).
            mgr.setNoLeverageOverride(input[0].data().getParentWorkspace().getId());
        }
        if (configuration.getCacheMode() != CacheMode.NONE) {
            mgr.setWorkspace(ArrayType.FF_CACHE, WS_ALL_LAYERS_ACT, WS_ALL_LAYERS_ACT_CONFIG);
        }
        mgr.setHelperWorkspacePointers(helperWorkspaces);
        return mgr;
    }

    /**
     * DL4J's gradient of one step whose {@link #gradient()} is the network's gradient array
     * itself, the identity by which DL4J's updater recognises its own network's gradient.
     */
    private record NetworkGradient(INDArray flattened, Gradient perVariable) implements Gradient {
        @Override
        public INDArray gradient() {
            return flattened;
        }

        @Override
        public Map<String, INDArray> gradientForVariable() {
            return perVariable.gradientForVariable();
        }

        @Override
        public INDArray gradient(List<String> order) {
            return perVariable.gradient(order);
        }

        @Override
        public void clear() {
            perVariable.clear();
        }

        @Override
        public INDArray getGradientFor(String variable) {
            return perVariable.getGradientFor(variable);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient) {
            return perVariable.setGradientFor(variable, gradient);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient, Character flatteningOrder) {
            return perVariable.setGradientFor(variable, gradient, flatteningOrder);
        }

        @Override
        public Character flatteningOrderForVariable(String variable) {
            return perVariable.flatteningOrderForVariable(variable);
        }
    }
}
